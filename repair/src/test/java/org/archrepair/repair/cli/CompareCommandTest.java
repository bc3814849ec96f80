package org.archrepair.repair.cli;

import org.archrepair.repair.TestData;
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

/** compare end to end on the published ResNet-20 with two methods and a tiny budget; a rerun reruns nothing. */
class CompareCommandTest {
    @TempDir
    Path dir;

    private static int run(StringWriter err, String... args) {
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private String[] args(String methods) {
        return new String[]{"compare", "--model", "resnet20", "--weights",
                TestData.require("pretrained/resnet20-12fca82f.th").toString(), "--data", TestData.require("cifar10").toString(),
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
        Map<?, ?> table = Reports.JSON.readValue(dir.resolve("table.json").toFile(), Map.class);
        assertEquals(List.of("original", "arachne", "neuron"),
                ((List<?>) table.get("rows")).stream().map(r -> ((Map<?, ?>) r).get("method")).toList());
        Map<?, ?> report = Reports.JSON.readValue(dir.resolve("seed-3/arachne/report.json").toFile(), Map.class);
        assertEquals(9950, ((Number) ((Map<?, ?>) report.get("before")).get("total")).intValue());
        long stamp = Files.getLastModifiedTime(dir.resolve("seed-3/neuron/report.json")).toMillis();
        StringWriter again = new StringWriter();
        assertEquals(0, run(again, args("neuron")), again.toString());
        assertEquals(stamp, Files.getLastModifiedTime(dir.resolve("seed-3/neuron/report.json")).toMillis(), "not rerun");
        assertTrue(Files.readString(dir.resolve("table.md")).contains("| Arachne | 1 |"), "the table keeps every finished run");
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
    }
}
