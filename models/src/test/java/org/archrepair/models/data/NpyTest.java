package org.archrepair.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** .npy files: numpy-written fixtures, round trips, and one clear error per kind of malformed file. */
class NpyTest {
    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
    }

    /** images_u8.npy was written by numpy 2.4 (np.arange(36, dtype=uint8).reshape(2, 2, 3, 3) * 7). */
    @Test
    void readsWhatNumpyWrote() throws Exception {
        Npy.Images im = Npy.readImages(resource("images_u8.npy"));
        assertEquals(List.of(2, 3, 2, 3), List.of(im.n(), im.channels(), im.height(), im.width()));
        // HWC element (n, y, x, c) = 7 * (((n * 2 + y) * 3 + x) * 3 + c), stored here at (n, c, y, x)
        for (int n = 0; n < 2; n++)
            for (int y = 0; y < 2; y++)
                for (int x = 0; x < 3; x++)
                    for (int c = 0; c < 3; c++)
                        assertEquals((7 * (((n * 2 + y) * 3 + x) * 3 + c)) & 0xff,
                                im.chw()[((n * 3 + c) * 2 + y) * 3 + x] & 0xff);
        assertArrayEquals(new int[]{3, 9}, Npy.readLabels(resource("labels_i8.npy")));
        assertArrayEquals(new int[]{3, 9}, Npy.readLabels(resource("labels_u1.npy")));
    }

    @Test
    void writesWhatNumpyWrites() throws Exception {
        Npy.Images im = Npy.readImages(resource("images_u8.npy"));
        Path out = dir.resolve("copy.npy");
        Npy.writeImages(out, im.chw(), im.n(), im.channels(), im.height(), im.width());
        assertArrayEquals(Files.readAllBytes(resource("images_u8.npy")), Files.readAllBytes(out), "byte for byte as numpy");
        Path labels = dir.resolve("labels.npy");
        Npy.writeLabels(labels, new int[]{3, 9});
        assertArrayEquals(Files.readAllBytes(resource("labels_u1.npy")), Files.readAllBytes(labels));
        Npy.writeLabels(labels, new int[]{3, 300});
        assertEquals("<i8", Npy.readHeader(labels).descr());
        assertArrayEquals(new int[]{3, 300}, Npy.readLabels(labels));
    }

    @Test
    void python2LongsAndVersion2Headers() throws Exception {
        Path f = file("{'descr': '|u1', 'fortran_order': False, 'shape': (1L, 1L, 2L, 3L), }", 2, new byte[6]);
        Npy.Images im = Npy.readImages(f);
        assertEquals(2, im.width());
    }

    @Test
    void malformedFilesGetAnErrorNamingFileAndFault() throws Exception {
        expect(resource("floats.npy"), "dtype '<f4'");
        Path notNpy = dir.resolve("x.npy");
        Files.writeString(notNpy, "P6 not numpy");
        expect(notNpy, "not a .npy file");
        expect(file("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 2, 3), }", 1, new byte[10]), "truncated");
        expect(file("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, 1, 3), }", 1, new byte[4]), "trailing bytes");
        expect(file("{'descr': '|u1', 'fortran_order': True, 'shape': (1, 1, 1, 3), }", 1, new byte[3]), "Fortran-order");
        expect(file("{'descr': '|u1', 'shape': (1, 1, 1, 3), }", 1, new byte[3]), "lacks 'fortran_order'");
        expect(file("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, 3), }", 1, new byte[3]), "expected images (N, H, W, C)");
        expect(file("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, 1, 3), 'x': [1] }", 1, new byte[3]), "cannot parse");
        expect(file("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, 1, 2), }", 1, new byte[2]), "2 channels");
        // a hostile header: an absurd shape is refused from the header alone, nothing is allocated
        expect(file("{'descr': '|u1', 'fortran_order': False, 'shape': (999999999999999999, 99999, 32, 3), }", 1, new byte[3]),
                "absurdly large");
        expect(file("{'descr': '|u1', 'fortran_order': False, 'shape': (100000, 1000, 1000, 3), }", 1, new byte[3]), "needs");
        // a header length far beyond any real header
        ByteBuffer huge = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        huge.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(-1);
        Path h = dir.resolve("huge.npy");
        Files.write(h, huge.array());
        expect(h, "longer than the 10000");
        Path labels = file("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", 1, longBytes(-4));
        IOException e = assertThrows(IOException.class, () -> Npy.readLabels(labels));
        assertTrue(e.getMessage().contains("label -4 at index 0"), e.getMessage());
    }

    private void expect(Path f, String fragment) {
        IOException e = assertThrows(IOException.class, () -> Npy.readImages(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private int count;

    /** A .npy file with this header text (padded as numpy pads it) and data. */
    private Path file(String dict, int major, byte[] data) throws IOException {
        int prefix = major == 1 ? 10 : 12;
        int pad = (64 - (prefix + dict.length() + 1) % 64) % 64;
        byte[] text = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(prefix + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) b.putShort((short) text.length);
        else b.putInt(text.length);
        b.put(text).put(data);
        Path f = dir.resolve("f" + count++ + ".npy");
        Files.write(f, b.array());
        return f;
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    @Test
    void corruptionFolderListsAndLoadsBothLayouts() throws Exception {
        List<String> classes = List.of("a", "b", "c");
        // the published layout: 5 severities of 2 images, no manifest
        byte[] chw = new byte[10 * 3 * 2 * 2];
        for (int i = 0; i < chw.length; i++) chw[i] = (byte) (i / 12);   // image i holds the value i everywhere
        int[] labels = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
        Npy.writeImages(dir.resolve("fog.npy"), chw, 10, 3, 2, 2);
        Npy.writeImages(dir.resolve("speckle_noise.npy"), chw, 10, 3, 2, 2);
        Npy.writeImages(dir.resolve("gaussian_noise.npy"), chw, 10, 3, 2, 2);
        Npy.writeLabels(dir.resolve("labels.npy"), labels);
        assertEquals(List.of("gaussian_noise", "fog", "speckle_noise"), CorruptionFolder.corruptions(dir));
        CorruptionFolder.Corrupted fog = CorruptionFolder.load(dir, "fog", classes);
        assertEquals(List.of(1, 2, 3, 4, 5), fog.severities());
        assertEquals(2, fog.perSeverity());
        assertArrayEquals(new int[]{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, fog.severityOf());
        assertArrayEquals(new int[]{6, 7}, fog.indicesOf(4));
        assertEquals(7, fog.images().pixel(7, 2, 1, 1));
        // ours: a manifest says which severities
        Files.writeString(dir.resolve("manifest.json"), "{\"severities\": [2, 5]}");
        CorruptionFolder.Corrupted two = CorruptionFolder.load(dir, "fog", classes);
        assertEquals(List.of(2, 5), two.severities());
        assertArrayEquals(new int[]{5, 6, 7, 8, 9}, two.indicesOf(5));
        Files.writeString(dir.resolve("manifest.json"), "{\"severities\": [1, 2, 3]}");
        IOException e = assertThrows(IOException.class, () -> CorruptionFolder.load(dir, "fog", classes));
        assertTrue(e.getMessage().contains("not a multiple of the 3 severities"), e.getMessage());
        e = assertThrows(IOException.class, () -> CorruptionFolder.load(dir, "frost", classes));
        assertTrue(e.getMessage().contains("no corruption 'frost'"), e.getMessage());
        Files.delete(dir.resolve("manifest.json"));
        e = assertThrows(IOException.class, () -> CorruptionFolder.load(dir, "fog", List.of("a")));
        assertTrue(e.getMessage().contains("label 1 at index 1"), e.getMessage());
        Npy.writeLabels(dir.resolve("labels.npy"), Arrays.copyOf(labels, 5));
        e = assertThrows(IOException.class, () -> CorruptionFolder.load(dir, "fog", classes));
        assertTrue(e.getMessage().contains("10 images but"), e.getMessage());
    }

    /** The published Tiny-ImageNet-C layout: <corruption>/<severity>/<wnid>/images, labels by sorted wnid. */
    @Test
    void tinyImageNetCJpegFolders() throws Exception {
        Path root = dir.resolve("Tiny-ImageNet-C");
        for (int s : new int[]{1, 3})
            for (String wnid : new String[]{"n02", "n01"})
                for (String file : new String[]{"b.png", "a.png"}) {
                    Path p = root.resolve("fog").resolve(Integer.toString(s)).resolve(wnid).resolve(file);
                    Files.createDirectories(p.getParent());
                    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
                    int grey = 10 * s + (wnid.equals("n02") ? 5 : 0) + (file.equals("b.png") ? 1 : 0);
                    for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img.setRGB(x, y, grey * 0x010101);
                    javax.imageio.ImageIO.write(img, "png", p.toFile());
                }
        Files.createDirectories(root.resolve("notes"));
        assertEquals(List.of("fog"), CorruptionFolder.corruptions(root));
        CorruptionFolder.Corrupted fog = CorruptionFolder.load(root, "fog", List.of("first", "second"));
        assertEquals(List.of(1, 3), fog.severities());
        assertArrayEquals(new int[]{0, 0, 1, 1, 0, 0, 1, 1}, fog.images().labels());
        assertArrayEquals(new int[]{1, 1, 1, 1, 3, 3, 3, 3}, fog.severityOf());
        int[] expected = {10, 11, 15, 16, 30, 31, 35, 36};   // severity, then wnid, then file name order
        for (int i = 0; i < 8; i++) assertEquals(expected[i], fog.images().pixel(i, 1, 40, 20));
        IOException e = assertThrows(IOException.class, () -> CorruptionFolder.load(root, "fog", List.of("a", "b", "c")));
        assertTrue(e.getMessage().contains("2 class folders"), e.getMessage());
    }
}
