package org.archrepair.repair.cli;

import org.archrepair.engine.io.JsonFormat;
import org.archrepair.models.data.CorruptionFolder;
import org.archrepair.models.data.Npy;
import org.archrepair.repair.TestData;
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

/** corrupt and evaluate --corruptions end to end on the first 8 CIFAR-10 test images. */
class CorruptCommandTest {
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
    void corruptWritesTheCifar10CLayoutAndEvaluateReadsIt() throws Exception {
        Path cifar = TestData.require("cifar10"), frost = TestData.require("frost");
        Path weights = TestData.require("pretrained/resnet20-12fca82f.th");
        Path out = dir.resolve("c");
        Run r = run("corrupt", "--data", cifar.toString(), "--images", "8", "--corruptions", "fog,frost",
                "--severities", "2,5", "--frost", frost.toString(), "--out", out.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("frost", "fog"), CorruptionFolder.corruptions(out));
        Npy.Header h = Npy.readHeader(out.resolve("fog.npy"));
        assertArrayEquals(new long[]{16, 32, 32, 3}, h.shape());
        assertEquals("|u1", h.descr());
        int[] labels = Npy.readLabels(out.resolve("labels.npy"));
        assertArrayEquals(new int[]{3, 8, 8, 0, 6, 6, 1, 6, 3, 8, 8, 0, 6, 6, 1, 6}, labels, "the test labels, once per severity");
        Map<?, ?> manifest = (Map<?, ?>) JsonFormat.parse(Files.readString(out.resolve("manifest.json")));
        assertEquals(List.of(2L, 5L), manifest.get("severities"));
        assertEquals(frost.toString(), manifest.get("frost"));

        // the same seed gives the same bytes when one severity is generated alone, into another folder
        Path alone = dir.resolve("alone");
        assertEquals(0, run("corrupt", "--data", cifar.toString(), "--images", "8", "--corruptions", "fog",
                "--severities", "5", "--out", alone.toString(), "--threads", "1").code());
        byte[] both = Npy.readImages(out.resolve("fog.npy")).chw(), five = Npy.readImages(alone.resolve("fog.npy")).chw();
        assertArrayEquals(java.util.Arrays.copyOfRange(both, both.length / 2, both.length), five);

        // a second run into the folder with other severities is refused
        Run clash = run("corrupt", "--data", cifar.toString(), "--images", "8", "--corruptions", "snow", "--out", out.toString());
        assertEquals(2, clash.code());
        assertTrue(clash.err().contains("already holds corruptions with severities [2, 5]"), clash.err());

        Path json = dir.resolve("r20.json");
        Run eval = run("evaluate", "--model", "resnet20", "--weights", weights.toString(), "--data", cifar.toString(),
                "--corruptions", out.toString(), "--json", json.toString());
        assertEquals(0, eval.code(), eval.err());
        Map<?, ?> section = (Map<?, ?>) ((Map<?, ?>) JsonFormat.parse(Files.readString(json))).get("corruptions");
        assertEquals(List.of(2L, 5L), section.get("severities"));
        List<?> fogTotals = (List<?>) ((Map<?, ?>) section.get("total")).get("fog");
        assertEquals(List.of(8L, 8L), fogTotals);
        String csv = Files.readString(dir.resolve("r20-corruptions.csv"));
        assertTrue(csv.startsWith(",frost,frost,fog,fog\n,2,5,2,5\nresnet20,"), csv);
        assertTrue(Files.size(dir.resolve("r20-corruptions.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("r20-corruptions.svg")).contains("<svg"));

        // the report reads back as an mCE baseline; against itself every CE is 1
        org.archrepair.repair.corrupt.RobustnessReport back = org.archrepair.repair.corrupt.RobustnessReport.fromEvaluateJson(json);
        assertEquals(1.0, back.mce(back, false), 1e-12);
        Run noBase = run("evaluate", "--model", "resnet20", "--weights", weights.toString(), "--data", cifar.toString(),
                "--corruptions", out.toString(), "--mce-baseline", dir.resolve("none.json").toString());
        assertEquals(2, noBase.code());
        assertTrue(noBase.err().contains("--mce-baseline") && noBase.err().contains("none.json"), noBase.err());
    }

    @Test
    void contactSheetAndFlagErrors() throws Exception {
        Path cifar = TestData.require("cifar10");
        Path png = dir.resolve("sheet.png");
        Run r = run("corrupt", "--data", cifar.toString(), "--images", "4", "--corruptions", "contrast,pixelate",
                "--contact-sheet", png.toString(), "--sheet-images", "0,3", "--sheet-scale", "1");
        assertEquals(0, r.code(), r.err());
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(22 + 2 * 34, img.getHeight());
        Run bad = run("corrupt", "--data", cifar.toString(), "--corruptions", "rain", "--out", dir.toString());
        assertTrue(bad.err().contains("--corruptions: unknown corruption 'rain'"), bad.err());
        Run sev = run("corrupt", "--data", cifar.toString(), "--severities", "0,6", "--out", dir.toString());
        assertTrue(sev.err().contains("--severities [0, 6]"), sev.err());
        Run noOut = run("corrupt", "--data", cifar.toString());
        assertTrue(noOut.err().contains("--out DIR is required"), noOut.err());
    }
}
