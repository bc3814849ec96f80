package org.archrepair.models.data;

import org.archrepair.engine.io.ReadBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Decompression bombs, members declaring more than exists, images declaring more pixels than a
 * heap holds, and the single-batch-file source the --data help promises: each is one
 * DatasetException naming the file, or (the last) a dataset.
 */
class HostileDatasetTest {
    @TempDir
    Path dir;

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }

    @Test
    void aGzipBombStopsAtTheBudget() throws Exception {
        Path d = Files.createDirectories(dir.resolve("bomb"));
        byte[] bomb = TarWriter.gzip(new byte[64 << 20]);
        assertTrue(bomb.length < 100_000, "64 MB of zeros in " + bomb.length + " bytes");
        Files.write(d.resolve("test_batch.bin.gz"), bomb);
        var e = assertThrows(DatasetException.class, () -> Cifar10.load(d, Split.TEST, false, new ReadBudget(8 << 20)));
        assertMentions(e, d.resolve("test_batch.bin.gz") + " (gzip): decompresses to more than 8388608 bytes",
                "more than one file may hold in memory here");
        assertEquals(d.resolve("test_batch.bin.gz"), e.file());
        bomb[bomb.length - 3] = 0;   // a trailer that lies (1 KiB) changes nothing: it is not trusted
        bomb[bomb.length - 2] = 0;
        bomb[bomb.length - 1] = 0;
        Files.write(d.resolve("test_batch.bin.gz"), bomb);
        var lie = assertThrows(DatasetException.class, () -> Cifar10.load(d, Split.TEST, false, new ReadBudget(8 << 20)));
        assertMentions(lie, d.resolve("test_batch.bin.gz") + " (gzip): decompresses to more than 8388608 bytes");
    }

    @Test
    void aTarMemberDeclaringMoreThanTheBudgetIsRefusedBeforeItsBytesExist() throws Exception {
        byte[] tar = new TarWriter().file("cifar-10-batches-bin/test_batch.bin", new byte[12 << 20]).finish();
        Path f = dir.resolve("big.tar.gz");
        Files.write(f, TarWriter.gzip(tar));
        var e = assertThrows(DatasetException.class, () -> Cifar10.load(f, Split.TEST, false, new ReadBudget(8 << 20)));
        assertMentions(e, "tar archive " + f + " (tar inside gzip): entry 'cifar-10-batches-bin/test_batch.bin' "
                + "(header at byte 0) declares 12582912 bytes");
        // a header declaring 8 GiB - 1 with nothing behind it: refused by the heap's own budget
        byte[] header = Arrays.copyOf(new TarWriter().file("cifar-10-batches-bin/test_batch.bin", new byte[0]).finish(), 512);
        System.arraycopy("77777777777".getBytes(), 0, header, 124, 11);
        fixChecksum(header);
        Path g = dir.resolve("declares.tar");
        Files.write(g, header);
        assertMentions(assertThrows(DatasetException.class, () -> Cifar10.load(g, Split.TEST)), "declares 8589934591 bytes");
    }

    private static void fixChecksum(byte[] h) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) sum += b & 0xff;
        byte[] octal = String.format("%06o", sum).getBytes();
        System.arraycopy(octal, 0, h, 148, 6);
        h[154] = 0;
    }

    @Test
    void aSparseFileOfThreeGigabytesIsRefusedBySize() throws Exception {
        Path d = Files.createDirectories(dir.resolve("sparse"));
        try (FileChannel ch = FileChannel.open(d.resolve("test_batch.bin"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
            ch.write(ByteBuffer.wrap(new byte[]{1}), 3L << 30);
        }
        var e = assertThrows(DatasetException.class, () -> Cifar10.load(d, Split.TEST));
        assertMentions(e, d.resolve("test_batch.bin") + ": 3221225473 bytes are more than one file may hold");
    }

    @Test
    void truncatedGzipHeaderHasAMessage() throws Exception {
        Path d = Files.createDirectories(dir.resolve("gzhead"));
        Files.write(d.resolve("test_batch.bin.gz"), new byte[]{0x1f, (byte) 0x8b, 8});
        var e = assertThrows(DatasetException.class, () -> Cifar10.load(d, Split.TEST));
        assertMentions(e, "truncated or corrupt gzip data in " + d.resolve("test_batch.bin.gz"), "the data ends early");
    }

    @Test
    void oneBatchFileIsTheSplitTheHelpPromises() throws Exception {
        byte[] seven = Cifar10FormatTest.records(7);
        Path gz = dir.resolve("test_batch.bin.gz");
        Files.write(gz, TarWriter.gzip(seven));
        ImageDataset test = Cifar10.load(gz, Split.TEST);
        assertEquals(7, test.size());
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6}, test.labels());
        assertArrayEquals(Arrays.copyOfRange(seven, 1, Cifar10.RECORD_BYTES), test.image(0));
        var train = assertThrows(DatasetException.class, () -> Cifar10.load(gz, Split.TRAIN));
        assertMentions(train, gz + " is the CIFAR-10 batch test_batch.bin; this split needs data_batch_1.bin");
        Path subset = dir.resolve("my-subset.bin");
        Files.write(subset, seven);
        assertEquals(7, Cifar10.load(subset, Split.TRAIN).size(), "any other *.bin is the split asked for");
    }

    /** A PNG whose header claims width x height, its IHDR CRC fixed so only the size is wrong. */
    private static byte[] pngClaiming(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png", out);
        byte[] png = out.toByteArray();
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        b.putInt(29, (int) crc.getValue());
        return png;
    }

    private Path tinyImageNet(byte[] image) throws Exception {
        Path root = Files.createDirectories(dir.resolve("tiny"));
        Files.write(root.resolve("wnids.txt"), List.of("n01"));
        Files.write(Files.createDirectories(root.resolve("train/n01/images")).resolve("n01_0.png"), image);
        return root;
    }

    @Test
    void anImageIsCheckedByItsHeaderBeforeItIsDecoded() throws Exception {
        Path root = tinyImageNet(pngClaiming(100_000, 100_000));
        Path img = root.resolve("train/n01/images/n01_0.png");
        var e = assertThrows(DatasetException.class, () -> TinyImageNet.load(root, Split.TRAIN, Progress.NONE));
        assertMentions(e, img + ": image is 100000x100000, expected 64x64");
        byte[] cut = Arrays.copyOf(pngClaiming(64, 64), 60);
        Files.write(img, cut);
        assertMentions(assertThrows(DatasetException.class, () -> TinyImageNet.load(root, Split.TRAIN, Progress.NONE)),
                img + ": cannot decode");
        Files.write(root.resolve("wnids.txt"), new byte[2 << 20]);
        assertMentions(assertThrows(DatasetException.class, () -> TinyImageNet.load(root, Split.TRAIN, Progress.NONE)),
                "wnids.txt: 2097152 bytes, more than the 1048576 such a file may have");
    }
}
