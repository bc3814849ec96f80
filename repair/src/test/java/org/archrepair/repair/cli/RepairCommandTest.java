package org.archrepair.repair.cli;

import org.archrepair.repair.TestData;
import org.archrepair.repair.report.Reports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** localize and repair end to end on the published ResNet-20 with a tiny budget, and their flag errors. */
class RepairCommandTest {
    @TempDir
    Path dir;

    private static int run(StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private static String[] subject(String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("--model", "resnet20", "--weights",
                TestData.require("pretrained/resnet20-12fca82f.th").toString(), "--data",
                TestData.require("cifar10").toString(), "--failures-per-class", "5", "--spectrum-images", "256"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    private static String[] concat(String first, String... rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    @Test
    void localizeWritesItsReports() throws Exception {
        StringWriter err = new StringWriter();
        Path out = dir.resolve("loc");
        assertEquals(0, run(err, concat("localize", subject("--out", out.toString()))), err.toString());
        Map<?, ?> json = Reports.readObject(Files.readString(out.resolve("localization.json")), "test");
        Map<?, ?> loc = (Map<?, ?>) json.get("localization");
        assertTrue(List.of("layer1", "layer2", "layer3").contains(loc.get("chosen")), String.valueOf(loc.get("chosen")));
        assertEquals(672, ((List<?>) loc.get("neurons")).size());
        assertEquals(50, ((List<?>) ((Map<?, ?>) ((Map<?, ?>) json.get("data")).get("failures")).get("indices")).size());
        assertEquals(673, Files.readAllLines(out.resolve("neurons.csv")).size());
        assertTrue(Files.readString(out.resolve("table6.md")).contains("| layer3 | 384 |"));
        for (String f : List.of("fig1-gradients.png", "fig1-gradients.svg", "fig2-suspicious.png", "fig2-suspicious.svg"))
            assertTrue(Files.size(out.resolve(f)) > 1000, f);
    }

    @Test
    void repairThenEvaluateTheRepairedModel() throws Exception {
        StringWriter err = new StringWriter();
        Path out = dir.resolve("rep");
        int code = run(err, concat("repair", subject("--out", out.toString(), "--train-images", "256", "--search-epochs", "2",
                "--warmup", "1", "--finetune-epochs", "1", "--partial-channels", "2", "--block", "layer3")));
        assertEquals(0, code, err.toString());
        Map<?, ?> report = Reports.readObject(Files.readString(out.resolve("report.json")), "test");
        double before = ((Number) ((Map<?, ?>) report.get("before")).get("accuracy")).doubleValue();
        double after = ((Number) ((Map<?, ?>) report.get("after")).get("accuracy")).doubleValue();
        assertTrue(before > 0.9 && before <= 1 && after > 0 && after <= 1, before + " " + after);
        assertEquals(9950, ((Number) ((Map<?, ?>) report.get("before")).get("total")).intValue());
        assertNotNull(report.get("genotype"));
        for (String f : List.of("model.safetensors", "architecture.json", "genotype.svg", "genotype.dot", "alpha.png",
                "report.md", "localization/localization.json"))
            assertTrue(Files.exists(out.resolve(f)), f);
        // the repaired model and its architecture load back to the accuracy the report gives
        Path json = dir.resolve("eval.json");
        assertEquals(0, run(err, "evaluate", "--model", "resnet20", "--data", TestData.require("cifar10").toString(),
                "--weights", out.resolve("model.safetensors").toString(), "--architecture",
                out.resolve("architecture.json").toString(), "--json", json.toString()), err.toString());
        double evaluated = ((Number) Reports.readObject(Files.readString(json), "test").get("accuracy")).doubleValue();
        assertEquals(((Number) ((Map<?, ?>) report.get("source_set")).get("after")).doubleValue(), evaluated, 1e-12);
    }

    @Test
    void badSettingsAreNamed() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "repair", "--model", "resnet20", "--method", "magic", "--out", dir.toString()));
        assertTrue(err.toString().contains("--method magic"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(err, "repair", "--model", "resnet20", "--partial-channels", "3", "--out", dir.toString()));
        assertTrue(err.toString().contains("--partial-channels"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(err, "repair", "--model", "resnet20", "--search-epochs", "2", "--warmup", "2", "--out",
                dir.toString()));
        assertTrue(err.toString().contains("--warmup"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(err, "localize", "--model", "resnet20", "--measure", "magic", "--out", dir.toString()));
        assertTrue(err.toString().contains("--measure magic"), err.toString());
    }
}
