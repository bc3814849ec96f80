package org.archrepair.repair.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.archrepair.engine.io.JsonFormat;
import org.archrepair.repair.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The command line in-process: help, flag errors, and an evaluate run writing its JSON report. */
class CommandLineTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[]{"repair", "localize", "evaluate", "train"}) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("--device") && r.out().contains("--threads") && r.out().contains("--seed"), r.out());
        }
        assertTrue(run("--help").out().contains("evaluate"));
    }

    @Test
    void badInputGetsAClearError() {
        Run unknown = run("evaluate", "--model", "vgg16", "--weights", "x.th");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown model 'vgg16'"), unknown.err());
        Run device = run("evaluate", "--model", "resnet20", "--device", "tpu", "--weights", "x.th");
        assertTrue(device.err().contains("--device tpu"), device.err());
        Run missingFile = run("evaluate", "--model", "resnet20", "--weights", dir.resolve("none.th").toString());
        assertEquals(2, missingFile.code());
        assertTrue(missingFile.err().contains("none.th"), missingFile.err());
        Run epochs = run("train", "--model", "resnet20", "--epochs", "0", "--out", dir.resolve("m").toString());
        assertTrue(epochs.err().contains("--epochs"), epochs.err());
    }

    @Test
    void evaluateWritesTheJsonReport() throws Exception {
        Path weights = TestData.require("pretrained/resnet20-12fca82f.th");
        Path cifar = TestData.require("cifar10");
        Path json = dir.resolve("report.json");
        Run r = run("evaluate", "--model", "resnet20", "--weights", weights.toString(), "--data", cifar.toString(),
                "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode report = JsonFormat.read(Files.readString(json));
        assertEquals("resnet20", report.get("model").textValue());
        assertEquals(10000L, report.get("total").longValue());
        assertEquals(9173L, report.get("correct").longValue());
        assertEquals(0.9173, report.get("accuracy").doubleValue(), 1e-12);
        assertEquals(10, report.get("per_class").size());
    }
}
