package org.archrepair.models.data;

import org.archrepair.engine.io.ReadBudget;
import org.archrepair.models.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real CIFAR-10 files in shared/data/cifar10 (gzipped official batches), checked against the
 * official SHA-256 values and the counts and labels in that folder's README; skipped when absent.
 */
class Cifar10RealDataTest {
    @TempDir
    Path dir;

    /** Per-batch class counts from shared/data/cifar10/README.md, data_batch_1..5. */
    private static final int[][] TRAIN_BATCH_COUNTS = {
            {1005, 974, 1032, 1016, 999, 937, 1030, 1001, 1025, 981},
            {984, 1007, 1010, 995, 1010, 988, 1008, 1026, 987, 985},
            {994, 1042, 965, 997, 990, 1029, 978, 1015, 961, 1029},
            {1003, 963, 1041, 976, 1004, 1021, 1004, 981, 1024, 983},
            {1014, 1014, 952, 1016, 997, 1025, 980, 977, 1003, 1022}};

    @Test
    void testSplit() throws Exception {
        Path folder = TestData.require("cifar10/test_batch.bin.gz").getParent();
        ImageDataset test = Cifar10.load(folder, Split.TEST, true);
        assertEquals(10_000, test.size());
        assertEquals(Cifar10.CLASS_NAMES, test.classes());
        int[] ones = new int[10];
        Arrays.fill(ones, 1000);
        assertArrayEquals(ones, test.classCounts());
        assertArrayEquals(new int[]{3, 8, 8, 0, 6, 6, 1, 6, 3, 1}, Arrays.copyOf(test.labels(), 10));
    }

    @Test
    void trainSplit() throws Exception {
        Path folder = TestData.require("cifar10/data_batch_1.bin.gz").getParent();
        ImageDataset train = Cifar10.load(folder, Split.TRAIN, true);
        assertEquals(50_000, train.size());
        int[] fiveThousand = new int[10];
        Arrays.fill(fiveThousand, 5000);
        assertArrayEquals(fiveThousand, train.classCounts());
        assertArrayEquals(new int[]{6, 9, 9, 4, 1, 1, 2, 7, 8, 3}, Arrays.copyOf(train.labels(), 10));
        for (int b = 0; b < 5; b++) {
            int[] counts = new int[10];
            for (int i = b * 10_000; i < (b + 1) * 10_000; i++) counts[train.label(i)]++;
            assertArrayEquals(TRAIN_BATCH_COUNTS[b], counts, "data_batch_" + (b + 1));
        }
    }

    /** The same test batch through the archive path: an official-layout tar.gz built from the real files. */
    @Test
    void archiveGivesTheSameImagesAsTheFolder() throws Exception {
        Path folder = TestData.require("cifar10/test_batch.bin.gz").getParent();
        byte[] bin = FileBytes.readAll(folder.resolve("test_batch.bin.gz"), ReadBudget.ofHeap());
        byte[] meta = FileBytes.readAll(folder.resolve("batches.meta.txt.gz"), ReadBudget.ofHeap());
        assertEquals(61, meta.length);
        assertTrue(new String(meta, StandardCharsets.US_ASCII).startsWith("airplane\nautomobile\n"));
        byte[] tar = new TarWriter().dir("cifar-10-batches-bin/").file("cifar-10-batches-bin/batches.meta.txt", meta)
                .file("cifar-10-batches-bin/test_batch.bin", bin).finish();
        Path archive = dir.resolve(Cifar10.ARCHIVE);
        Files.write(archive, TarWriter.gzip(tar));
        ImageDataset fromArchive = Cifar10.load(archive, Split.TEST, true);
        ImageDataset fromFolder = Cifar10.load(folder, Split.TEST);
        assertArrayEquals(fromFolder.labels(), fromArchive.labels());
        for (int i = 0; i < fromFolder.size(); i += 997) assertArrayEquals(fromFolder.image(i), fromArchive.image(i));
        assertArrayEquals(Arrays.copyOfRange(bin, 1, 3073), fromArchive.image(0), "record 0 pixels, byte for byte");
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(archive, Split.TRAIN));
        assertTrue(e.getMessage().contains("has no entry cifar-10-batches-bin/data_batch_1.bin"), e.getMessage());
    }
}
