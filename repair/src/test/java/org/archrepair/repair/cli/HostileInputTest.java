package org.archrepair.repair.cli;

import org.archrepair.engine.Rng;
import org.archrepair.engine.nn.Init;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.Models;
import org.archrepair.models.checkpoint.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Hostile files at the command line, in-process: each ends within 5 seconds with exit code 2 and
 * one line naming the file; the stack trace only with -Darchrepair.debug=true.
 */
class HostileInputTest {
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

    /** evaluate --weights file: exit 2 within 5 s, one line that names the file and says what. */
    private Run evaluate(String name, byte[] bytes, String what) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        Run r = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> run("evaluate", "--model", "resnet20", "--weights", f.toString(), "--threads", "1"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("archrepair evaluate: ") && r.err().contains(f.toString()), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(what), r.err());
        return r;
    }

    @Test
    void deeplyNestedPickle() throws Exception {
        evaluate("nested.pt", HostileFiles.nestedPickleZip(), "tuples nested deeper than 100");
    }

    @Test
    void memoBomb() throws Exception {
        evaluate("bomb.pt", HostileFiles.memoBombZip(), "expands to more than 1048576 values");
    }

    @Test
    void zipDeclaringATerabyteEntry() throws Exception {
        evaluate("tb.pt", HostileFiles.terabyteZip(), "declares 1099511627776 bytes");
    }

    @Test
    void safetensorsShapeWhoseProductOverflows() throws Exception {
        evaluate("overflow.safetensors", HostileFiles.overflowingSafetensors(), "has more than 2^63 elements");
    }

    @Test
    void theStackOnlyUnderDebug() throws Exception {
        Path f = dir.resolve("tb.pt");
        Files.write(f, HostileFiles.terabyteZip());
        String before = System.getProperty("archrepair.debug");
        System.setProperty("archrepair.debug", "true");
        try {
            Run r = run("evaluate", "--model", "resnet20", "--weights", f.toString());
            assertEquals(2, r.code());
            assertTrue(r.err().lines().count() > 3 && r.err().contains("CheckpointException"), r.err());
        } finally {
            if (before == null) System.clearProperty("archrepair.debug");
            else System.setProperty("archrepair.debug", before);
        }
    }

    @Test
    void aBatchFileAsDataAndAnUnwritableReportSayWhy() throws Exception {
        Path weights = dir.resolve("r20.safetensors");
        Checkpoints.save(Models.create("resnet20", new Init(CpuBackend.reference(), new Rng(3)), 10), weights, Map.of());
        byte[] records = new byte[2 * 3073];
        records[3073] = 7;                               // labels 0 and 7
        Path batch = dir.resolve("test_batch.bin");
        Files.write(batch, records);
        Path blocker = Files.writeString(dir.resolve("a-file"), "x");
        Path report = blocker.resolve("report.json");
        Run r = run("evaluate", "--model", "resnet20", "--weights", weights.toString(), "--data", batch.toString(),
                "--json", report.toString(), "--threads", "1");
        // the report is written last: the error says the one batch file was read and evaluated
        assertEquals(2, r.code(), r.err());
        assertEquals("archrepair evaluate: cannot write " + report + ": a file that is not a folder is in the way (at "
                + blocker + ")", r.err().strip());
    }
}
