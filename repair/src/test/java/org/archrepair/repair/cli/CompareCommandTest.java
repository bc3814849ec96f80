package org.archrepair.repair.cli;

import org.archrepair.repair.TestData;
import org.archrepair.repair.report.CrossCorruption;
import org.archrepair.repair.report.Reports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * compare end to end on the published ResNet-20 with a tiny budget: two methods in scenario 1 (a
 * rerun reruns nothing), one in scenario 2 on a small corruption folder.
 */
class CompareCommandTest {
    @TempDir
    Path dir;
    @TempDir
    Path data;

    private static int run(StringWriter err, String... args) {
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    /** 100 images of each training batch, the first 1,000 test images: every evaluation is of 1,000. */
    private Path cifar() throws java.io.IOException {
        return Files.exists(data.resolve("cifar")) ? data.resolve("cifar") : TestData.smallCifar10(data.resolve("cifar"), 100, 1000);
    }

    private String[] args(String methods) throws java.io.IOException {
        return new String[]{"compare", "--model", "resnet20", "--weights",
                TestData.require("pretrained/resnet20-12fca82f.th").toString(), "--data", cifar().toString(),
                "--failures-per-class", "5", "--spectrum-images", "128", "--train-images", "128", "--search-epochs", "1",
                "--warmup", "0", "--finetune-epochs", "1", "--arachne-population", "8", "--arachne-generations", "2",
                "--methods", methods, "--seeds", "3", "--out", dir.toString()};
    }

    @Test
    void runsTheMethodsWritesTheTableAndResumesWithoutRerunning() throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, args("arachne,neuron")), err.toString());
        for (String m : List.of("arachne", "neuron"))
            for (String f : List.of("report.json", "model.safetensors", "wall.json"))
                assertTrue(Files.exists(dir.resolve("seed-3").resolve(m).resolve(f)), m + "/" + f);
        Map<?, ?> table = Reports.readObject(Files.readString(dir.resolve("table.json")), "table.json");
        assertEquals(List.of("original", "arachne", "neuron"),
                ((List<?>) table.get("rows")).stream().map(r -> ((Map<?, ?>) r).get("method")).toList());
        Map<?, ?> report = Reports.readObject(Files.readString(dir.resolve("seed-3/arachne/report.json")), "report.json");
        int failures = ((Number) ((Map<?, ?>) ((Map<?, ?>) report.get("data")).get("failures")).get("size")).intValue();
        assertEquals(1000, ((Number) ((Map<?, ?>) report.get("before")).get("total")).intValue() + failures,
                "D_v \\ D_fail and D_fail make the test set");
        long stamp = Files.getLastModifiedTime(dir.resolve("seed-3/neuron/report.json")).toMillis();
        StringWriter again = new StringWriter();
        assertEquals(0, run(again, args("neuron")), again.toString());
        assertEquals(stamp, Files.getLastModifiedTime(dir.resolve("seed-3/neuron/report.json")).toMillis(), "not rerun");
        assertTrue(Files.readString(dir.resolve("table.md")).contains("| Arachne | 1 |"), "the table keeps every finished run");
    }

    @Test
    void scenarioTwoDrawsTheFailuresFromTheCorruptionAndMeasuresTheOthers() throws Exception {
        Path cifar = cifar(), c = data.resolve("c"), out = dir.resolve("campaign");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "corrupt", "--data", cifar.toString(), "--images", "200", "--corruptions",
                "gaussian_noise,fog", "--severities", "5", "--out", c.toString(), "--threads", "2"), err.toString());
        assertEquals(0, run(err, "compare", "--model", "resnet20", "--weights",
                TestData.require("pretrained/resnet20-12fca82f.th").toString(), "--data", cifar.toString(),
                "--scenario", "corruption", "--corruption", "gaussian_noise", "--corruptions", c.toString(),
                "--evaluate-on", "fog", "--failures-per-class", "2", "--spectrum-images", "64", "--train-images", "64",
                "--search-epochs", "1", "--warmup", "0", "--finetune-epochs", "1", "--methods", "neuron", "--seeds", "3",
                "--out", out.toString()), err.toString());
        Map<String, Object> report = Reports.readObject(Files.readString(out.resolve("seed-3/neuron/report.json")), "report");
        Map<?, ?> settings = (Map<?, ?>) report.get("settings");
        assertEquals("corruption", settings.get("scenario"));
        assertEquals("gaussian_noise", settings.get("corruption"));
        assertEquals(200, ((Number) ((Map<?, ?>) report.get("source_set")).get("images")).intValue(),
                "the source is the corruption, not the test set");
        assertEquals(List.of("clean", "fog"), List.copyOf(((Map<?, ?>) report.get("robustness")).keySet()));
        var cross = CrossCorruption.read(out.resolve("seed-3/neuron"));
        assertEquals("gaussian_noise", cross.repaired());
        assertEquals(List.of("gaussian_noise", "clean", "fog"), List.copyOf(cross.accuracy().keySet()));
        String md = Files.readString(out.resolve("table.md"));
        assertTrue(md.startsWith("# Table 5 (scenario 2, gaussian_noise)"), md);
        assertTrue(md.contains("| clean (%) | fog (%) |"), md);
    }

    @Test
    void badSettingsAreNamed() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "compare", "--model", "resnet20", "--methods", "arachne,magic", "--out", dir.toString()));
        assertTrue(err.toString().contains("unknown method 'magic'"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(err, "compare", "--model", "resnet20", "--scenario", "corruption", "--out", dir.toString()));
        assertTrue(err.toString().contains("--scenario corruption"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(err, "compare", "--model", "resnet20", "--seeds", "1,x", "--out", dir.toString()));
        assertTrue(err.toString().contains("--seeds"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(err, "repair", "--model", "resnet20", "--method", "apricot", "--apricot-sign", "sideways", "--out",
                dir.toString()));
        assertTrue(err.toString().contains("--apricot-sign sideways"), err.toString());
        for (String command : new String[]{"compare", "repair"}) {                // scenario 1 measures nothing else
            err = new StringWriter();
            assertEquals(2, run(err, command, "--model", "resnet20", "--evaluate-on", "fog", "--out", dir.toString()));
            assertTrue(err.toString().contains("--evaluate-on fog needs --scenario corruption"), err.toString());
        }
    }
}
