package org.archrepair.models.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Test-only: the dataset side of the fuzz suite ({@code org.archrepair.models.fuzz}): seed files
 * built in the test phase and the package-private entry points it calls.
 */
public final class DataFuzz {
    private DataFuzz() {
    }

    private static final byte[] META = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n"
            .getBytes(StandardCharsets.US_ASCII);

    /** CIFAR-10 batches: a few records each (a multiple of 3,073 bytes, labels 0..9). */
    public static List<byte[]> binSeeds() {
        return List.of(Cifar10FormatTest.records(2), Cifar10FormatTest.records(3));
    }

    /** Tar archives in the official layout, with a meta file, a pax header and a GNU long name. */
    public static List<byte[]> tarSeeds() {
        byte[] official = new TarWriter().dir("cifar-10-batches-bin/").file("cifar-10-batches-bin/batches.meta.txt", META)
                .file("cifar-10-batches-bin/test_batch.bin", Cifar10FormatTest.records(2)).finish();
        byte[] pax = new TarWriter().pax("44 path=cifar-10-batches-bin/test_batch.bin\n13 size=6146\n")
                .file("x", Cifar10FormatTest.records(2)).finish();
        byte[] longName = new TarWriter().file("y/".repeat(60) + "test_batch.bin", Cifar10FormatTest.records(1)).finish();
        return List.of(official, pax, longName);
    }

    /** Each of plain, gzipped. */
    public static List<byte[]> gzip(List<byte[]> plain) {
        return plain.stream().map(TarWriter::gzip).toList();
    }

    /** bombBytes zeros, gzipped (about a thousandth of that). */
    public static byte[] gzipBomb(int bombBytes) {
        return TarWriter.gzip(new byte[bombBytes]);
    }

    /** A tar.gz whose test batch is bombBytes zeros (declared honestly in its header). */
    public static byte[] tarBomb(int bombBytes) {
        return TarWriter.gzip(new TarWriter().file("cifar-10-batches-bin/test_batch.bin", new byte[bombBytes]).finish());
    }

    /** 64x64 images: colour PNG, grey PNG, JPEG. */
    public static List<byte[]> imageSeeds() {
        BufferedImage colour = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) colour.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | 77);
        BufferedImage grey = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) grey.getRaster().setSample(x, y, 0, x + y);
        return List.of(encode(colour, "png"), encode(grey, "png"), encode(colour, "jpeg"));
    }

    private static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** CIFAR-10's test split from one file: a batch (*.bin, *.bin.gz) or an archive (*.tar, *.tar.gz). */
    public static ImageDataset loadCifar(Path file) throws IOException {
        return Cifar10.load(file, Split.TEST);
    }

    /** One Tiny-ImageNet image, as the loader reads each. */
    public static BufferedImage readImage(Path file) throws IOException {
        return TinyImageNet.read64(file);
    }
}
