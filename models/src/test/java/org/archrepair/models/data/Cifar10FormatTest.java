package org.archrepair.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CIFAR-10 binary parsing on small synthetic files: layout, every source kind, and every corruption. */
class Cifar10FormatTest {
    @TempDir
    Path dir;

    private static final byte[] META = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n"
            .getBytes(StandardCharsets.US_ASCII);

    /** n records; record r has label r % 10 and pixel (c, y, x) = (r + 3c + y + 7x) mod 256. */
    static byte[] records(int n) {
        byte[] b = new byte[n * Cifar10.RECORD_BYTES];
        for (int r = 0; r < n; r++) {
            b[r * Cifar10.RECORD_BYTES] = (byte) (r % 10);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                        b[r * Cifar10.RECORD_BYTES + 1 + c * 1024 + y * 32 + x] = (byte) (r + 3 * c + y + 7 * x);
        }
        return b;
    }

    private Path folder(String name, byte[] test, boolean gz) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.write(d.resolve(gz ? "test_batch.bin.gz" : "test_batch.bin"), gz ? TarWriter.gzip(test) : test);
        Files.write(d.resolve("batches.meta.txt"), META);
        return d;
    }

    private static void checkSynthetic(ImageDataset d, int n) {
        assertEquals(n, d.size());
        assertEquals(Cifar10.CLASS_NAMES, d.classes());
        for (int r = 0; r < n; r++) {
            assertEquals(r % 10, d.label(r));
            assertEquals((r + 2 * 3 + 5 + 7 * 9) & 0xff, d.pixel(r, 2, 5, 9), "blue plane, row 5, column 9");
            assertEquals((r + 31) & 0xff, d.pixel(r, 0, 31, 0));
        }
    }

    @Test
    void plainAndGzippedFolders() throws Exception {
        checkSynthetic(Cifar10.load(folder("plain", records(12), false), Split.TEST), 12);
        checkSynthetic(Cifar10.load(folder("gz", records(12), true), Split.TEST), 12);
    }

    @Test
    void archiveGzippedOrNotAndFoldersThatHoldThem() throws Exception {
        byte[] tar = new TarWriter().dir("cifar-10-batches-bin/").file("cifar-10-batches-bin/readme.html", new byte[700])
                .file("cifar-10-batches-bin/batches.meta.txt", META)
                .file("cifar-10-batches-bin/test_batch.bin", records(7)).finish();
        Path plainTar = dir.resolve("c.tar");
        Files.write(plainTar, tar);
        checkSynthetic(Cifar10.load(plainTar, Split.TEST), 7);
        Path holder = Files.createDirectories(dir.resolve("cache"));
        Files.write(holder.resolve(Cifar10.ARCHIVE), TarWriter.gzip(tar));
        checkSynthetic(Cifar10.load(holder, Split.TEST), 7);
        checkSynthetic(Cifar10.load(holder.resolve(Cifar10.ARCHIVE), Split.TEST), 7);
        Path parent = Files.createDirectories(dir.resolve("parent"));
        Files.move(folder("inner", records(4), true), parent.resolve(Cifar10.FOLDER));
        checkSynthetic(Cifar10.load(parent, Split.TEST), 4);
    }

    @Test
    void sizeNotAMultipleOfTheRecordNamesFileAndOffset() throws Exception {
        Path d = folder("short", Arrays.copyOf(records(2), Cifar10.RECORD_BYTES + 5), false);
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(d, Split.TEST));
        assertTrue(e.getMessage().contains(d.resolve("test_batch.bin").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("size 3078 bytes is not a multiple of the 3073-byte record"), e.getMessage());
        assertTrue(e.getMessage().contains("record at byte 3073 is cut short after 5 bytes"), e.getMessage());
    }

    @Test
    void labelAboveNineNamesFileAndOffset() throws Exception {
        byte[] b = records(3);
        b[2 * Cifar10.RECORD_BYTES] = 12;
        Path d = folder("label", b, true);
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(d, Split.TEST));
        assertTrue(e.getMessage().contains("test_batch.bin.gz: label 12 at byte 6146 (record 2)"), e.getMessage());
    }

    @Test
    void truncatedGzipNamesFile() throws Exception {
        byte[] gz = TarWriter.gzip(records(5));
        Path d = Files.createDirectories(dir.resolve("cutgz"));
        Files.write(d.resolve("test_batch.bin.gz"), Arrays.copyOf(gz, gz.length / 2));
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(d, Split.TEST));
        assertTrue(e.getMessage().contains("truncated or corrupt gzip data in " + d.resolve("test_batch.bin.gz")),
                e.getMessage());
        assertTrue(e.getMessage().contains("decompressed bytes"), e.getMessage());
    }

    @Test
    void truncatedTarNamesEntryAndOffset() throws Exception {
        byte[] tar = new TarWriter().file("cifar-10-batches-bin/test_batch.bin", records(3)).finish();
        Path f = dir.resolve("cut.tar");
        Files.write(f, Arrays.copyOf(tar, 512 + 4000));
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(f, Split.TEST));
        assertTrue(e.getMessage().contains("tar archive " + f + ": entry 'cifar-10-batches-bin/test_batch.bin' (9219 bytes, "
                + "header at byte 0) ends early at byte 4512"), e.getMessage());
        Path gz = dir.resolve("cut.tar.gz");
        byte[] whole = TarWriter.gzip(tar);
        Files.write(gz, Arrays.copyOf(whole, whole.length - 30));
        IOException g = assertThrows(IOException.class, () -> Cifar10.load(gz, Split.TEST));
        assertTrue(g.getMessage().contains("gzip data in " + gz), g.getMessage());
    }

    @Test
    void corruptTarHeaderNamesOffset() throws Exception {
        byte[] tar = new TarWriter().file("cifar-10-batches-bin/batches.meta.txt", META)
                .file("cifar-10-batches-bin/test_batch.bin", records(1)).finish();
        tar[1024 + 10] ^= 0x5a;   // inside the second header's name
        Path f = dir.resolve("bad.tar");
        Files.write(f, tar);
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(f, Split.TEST));
        assertTrue(e.getMessage().contains("header at byte 1024 has checksum"), e.getMessage());
    }

    @Test
    void paxPathAndSizeApplyToTheNextEntry() throws Exception {
        byte[] data = records(2);
        String records = "44 path=cifar-10-batches-bin/test_batch.bin\n" + "13 size=" + data.length + "\n"
                + "30 mtime=1262304000.123456789\n";
        byte[] tar = new TarWriter().pax(records).file("renamed-by-pax", data).finish();
        Path f = dir.resolve("pax.tar");
        Files.write(f, tar);
        assertArrayEquals(new int[]{0, 1}, Cifar10.load(f, Split.TEST).labels());
    }

    @Test
    void malformedPaxRecordNamesItsOffset() throws Exception {
        String[][] cases = {
                {"1 ", "record at byte 512 declares length 1, too short for its own length field and newline"},
                {"12", "record at byte 512 has no space after its length"},
                {"x1 size=3\n", "record at byte 512 has a malformed length 'x1'"},
                {"9 path=a\n30 size=", "record at byte 521 declares length 30 but only 8 bytes are left"},
                {"11 size=-5\n", "record at byte 512 has a negative size -5"},
                {"29 size=99999999999999999999\n", "record at byte 512 has a malformed size '99999999999999999999'"},
                {"10 size=5x", "record at byte 512 of length 10 does not end in a newline"},
                {"8 nokey\n", "record at byte 512 has no KEY=VALUE"}};
        for (String[] c : cases) {
            byte[] tar = new TarWriter().pax(c[0]).file("cifar-10-batches-bin/test_batch.bin", records(1)).finish();
            Path f = dir.resolve("badpax.tar");
            Files.write(f, tar);
            IOException e = assertThrows(IOException.class, () -> Cifar10.load(f, Split.TEST), c[0]);
            assertTrue(e.getMessage().contains("tar archive " + f + ": pax header at byte 0: " + c[1]), e.getMessage());
        }
    }

    @Test
    void missingBatchesAreNamed() throws Exception {
        Path d = folder("testonly", records(2), false);
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(d, Split.TRAIN));
        assertTrue(e.getMessage().contains("missing CIFAR-10 file " + d.resolve("data_batch_1.bin")), e.getMessage());
        byte[] tar = new TarWriter().file("cifar-10-batches-bin/test_batch.bin", records(2)).finish();
        Path f = dir.resolve("test-only.tar");
        Files.write(f, tar);
        IOException t = assertThrows(IOException.class, () -> Cifar10.load(f, Split.TRAIN));
        assertTrue(t.getMessage().contains("archive " + f + " has no entry cifar-10-batches-bin/data_batch_1.bin"),
                t.getMessage());
        IOException none = assertThrows(IOException.class, () -> Cifar10.load(dir.resolve("nowhere"), Split.TEST));
        assertTrue(none.getMessage().contains("nowhere does not exist"), none.getMessage());
    }

    @Test
    void officialHashCheckRejectsOtherData() throws Exception {
        Path d = folder("synthetic", records(2), false);
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(d, Split.TEST, true));
        assertTrue(e.getMessage().contains("the official test_batch.bin has "
                + Cifar10.OFFICIAL_SHA256.get("test_batch.bin")), e.getMessage());
    }

    @Test
    void badMetaFileIsNamed() throws Exception {
        Path d = folder("meta", records(1), false);
        Files.writeString(d.resolve("batches.meta.txt"), "cat\ndog\n");
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(d, Split.TEST));
        assertTrue(e.getMessage().contains("batches.meta.txt: expected 10 class names, one per line, found 2"),
                e.getMessage());
    }

    @Test
    void longNamesInTheArchive() throws Exception {
        String deep = "x/".repeat(60) + "cifar-10-batches-bin/test_batch.bin";
        byte[] tar = new TarWriter().file(deep, records(2)).finish();
        Path f = dir.resolve("long.tar");
        Files.write(f, tar);
        ImageDataset d = Cifar10.load(f, Split.TEST);
        assertArrayEquals(new int[]{0, 1}, d.labels());
        assertEquals(List.copyOf(Cifar10.CLASS_NAMES), d.classes(), "default names without a meta file");
    }
}
