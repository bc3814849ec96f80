package org.archrepair.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiny-ImageNet's folder layout on a tiny synthetic copy written with ImageIO (PNG for exact pixels, one JPEG). */
class TinyImageNetTest {
    @TempDir
    Path root;

    private static final List<String> WNIDS = List.of("n09999999", "n01443537", "n02000000");   // not sorted

    /** A colour image whose pixel (x, y) is (seed + x, 2y, 255 - seed). */
    private static BufferedImage colour(int seed, int side) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) img.setRGB(x, y, ((seed + x) & 0xff) << 16 | (2 * y) << 8 | (255 - seed));
        return img;
    }

    private void write(BufferedImage img, Path file, String format) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, format, file.toFile()), "no ImageIO writer for " + format);
    }

    private void build() throws IOException {
        Files.write(root.resolve("wnids.txt"), WNIDS);
        Files.write(root.resolve("words.txt"), List.of("n01443537\tgoldfish, Carassius auratus", "n02000000\theron",
                "n09999999\tmeadow, grassland"));
        for (int c = 0; c < 3; c++) {
            Path images = root.resolve("train").resolve(WNIDS.get(c)).resolve("images");
            write(colour(10 * c, 64), images.resolve(WNIDS.get(c) + "_1.png"), "png");
            write(colour(10 * c + 1, 64), images.resolve(WNIDS.get(c) + "_0.png"), "png");
            Files.writeString(root.resolve("train").resolve(WNIDS.get(c)).resolve(WNIDS.get(c) + "_boxes.txt"), "ignored");
        }
        BufferedImage grey = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) grey.getRaster().setSample(x, y, 0, 3 * x + y);
        write(grey, root.resolve("val/images/val_0.png"), "png");
        write(colour(77, 64), root.resolve("val/images/val_1.JPEG"), "jpeg");
        Files.write(root.resolve("val/val_annotations.txt"), List.of("val_0.png\tn02000000\t0\t0\t10\t10",
                "val_1.JPEG\tn09999999\t1\t2\t30\t40"));
    }

    @Test
    void trainSplitIsOrderedBySortedWnidThenFileName() throws Exception {
        build();
        List<long[]> progress = new ArrayList<>();
        ImageDataset train = TinyImageNet.load(root, Split.TRAIN, (d, t) -> progress.add(new long[]{d, t}));
        assertEquals(6, train.size());
        assertEquals(List.of("goldfish", "heron", "meadow"), train.classes());
        assertArrayEquals(new int[]{0, 0, 1, 1, 2, 2}, train.labels());
        assertEquals(3, train.channels());
        assertEquals(64, train.height());
        // image 0 is n01443537_0.png = colour(10 * 1 + 1)
        int seed = 11;
        for (int y : new int[]{0, 17, 63})
            for (int x : new int[]{0, 5, 63}) {
                assertEquals((seed + x) & 0xff, train.pixel(0, 0, y, x));
                assertEquals(2 * y, train.pixel(0, 1, y, x));
                assertEquals(255 - seed, train.pixel(0, 2, y, x));
            }
        assertEquals(3, train.pixel(5, 0, 0, 3), "last image: n09999999_1.png = colour(0), its wnid is listed first");
        assertArrayEquals(new long[]{6, 6}, progress.getLast());
    }

    @Test
    void valSplitFollowsTheAnnotationsAndReplicatesGrey() throws Exception {
        build();
        ImageDataset val = TinyImageNet.load(root, Split.TEST, Progress.NONE);
        assertArrayEquals(new int[]{1, 2}, val.labels());
        for (int c = 0; c < 3; c++) assertEquals(3 * 10 + 7, val.pixel(0, c, 7, 10), "grey level in every channel");
        // a JPEG is lossy: the smooth gradient comes back within a few grey levels
        assertEquals((77 + 30) & 0xff, val.pixel(1, 0, 20, 30), 6);
        assertEquals(40, val.pixel(1, 1, 20, 30), 6);
        assertEquals(255 - 77, val.pixel(1, 2, 20, 30), 6);
    }

    @Test
    void errorsNameTheFileAndLine() throws Exception {
        IOException none = assertThrows(IOException.class, () -> TinyImageNet.load(root, Split.TRAIN, Progress.NONE));
        assertTrue(none.getMessage().contains(root.resolve("wnids.txt") + " is missing"), none.getMessage());
        build();
        Path wrongSize = root.resolve("train/n02000000/images/n02000000_0.png");
        write(colour(1, 32), wrongSize, "png");
        IOException size = assertThrows(IOException.class, () -> TinyImageNet.load(root, Split.TRAIN, Progress.NONE));
        assertTrue(size.getMessage().contains(wrongSize + ": image is 32x32, expected 64x64"), size.getMessage());
        Files.writeString(root.resolve("train/n02000000/images/n02000000_0.png"), "not a png");
        IOException junk = assertThrows(IOException.class, () -> TinyImageNet.load(root, Split.TRAIN, Progress.NONE));
        assertTrue(junk.getMessage().contains(wrongSize.toString()), junk.getMessage());
        Files.write(root.resolve("val/val_annotations.txt"), List.of("val_0.png\tn02000000", "val_1.JPEG\tn12345678"));
        IOException ann = assertThrows(IOException.class, () -> TinyImageNet.load(root, Split.TEST, Progress.NONE));
        assertTrue(ann.getMessage().contains("val_annotations.txt line 2"), ann.getMessage());
    }
}
