package org.archrepair.repair.corrupt;

import org.archrepair.engine.Rng;
import org.archrepair.models.data.ImageDataset;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What every corruption must do: be a function of (seed, corruption, severity, image), change the
 * image, and change it more at stronger severities. Runs on synthetic 32 x 32 images (smooth colour
 * waves with an edge), so it needs no data; FrostTextures.procedural stands in for the originals.
 */
class CorruptionTest {
    static final FrostTextures FROST = FrostTextures.procedural(5);

    /** A 3x32x32 image of smooth colour waves and a vertical edge, values within 20..235. */
    static byte[] synthetic(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] x = new byte[Pixels.SIZE];
        int edge = 8 + r.nextInt(16);
        for (int c = 0; c < 3; c++) {
            double fx = r.nextDouble(0.1, 0.6), fy = r.nextDouble(0.1, 0.6), phase = r.nextDouble(6.3);
            double base = r.nextDouble(70, 180);
            for (int y = 0; y < 32; y++)
                for (int xx = 0; xx < 32; xx++) {
                    double v = base + 45 * Math.sin(fx * xx + fy * y + phase) + (xx < edge ? -25 : 25) * (c == 1 ? -1 : 1)
                            + 8 * r.nextDouble();
                    x[c * Pixels.PLANE + y * 32 + xx] = (byte) Math.max(20, Math.min(235, (int) v));
                }
        }
        return x;
    }

    static ImageDataset dataset(int n) {
        byte[] pixels = new byte[n * Pixels.SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) System.arraycopy(synthetic(i), 0, pixels, i * Pixels.SIZE, Pixels.SIZE);
        return new ImageDataset("synthetic", pixels, labels, List.of("only"), 3, 32, 32);
    }

    @Test
    void oneSeedGivesTheSameImagesForAnySubsetAndThreadCount() {
        ImageDataset set = dataset(12);
        Corruptor a = new Corruptor(42, FROST), b = new Corruptor(42, FROST), other = new Corruptor(43, FROST);
        for (Corruption c : Corruption.values()) {
            byte[] all = a.corrupt(set, c, List.of(1, 2, 3, 4, 5), 2, (d, t) -> { });
            byte[] only4 = b.corrupt(set, c, List.of(4), 1, (d, t) -> { });
            int block = set.size() * Pixels.SIZE;
            assertArrayEquals(java.util.Arrays.copyOfRange(all, 3 * block, 4 * block), only4, c.id() + ": severity 4 alone");
            assertArrayEquals(all, a.corrupt(set, c, List.of(1, 2, 3, 4, 5), 1, (d, t) -> { }), c.id() + ": 1 vs 2 threads");
            assertArrayEquals(a.apply(c, 3, 7, set.image(7)), java.util.Arrays.copyOfRange(all, (2 * 12 + 7) * Pixels.SIZE,
                    (2 * 12 + 8) * Pixels.SIZE), c.id() + ": one image alone");
            boolean random = !Set.of(Corruption.DEFOCUS_BLUR, Corruption.ZOOM_BLUR, Corruption.BRIGHTNESS, Corruption.CONTRAST,
                    Corruption.PIXELATE, Corruption.JPEG_COMPRESSION, Corruption.GAUSSIAN_BLUR).contains(c);
            byte[] reseeded = other.corrupt(set, c, List.of(1, 2, 3, 4, 5), 2, (d, t) -> { });
            assertEquals(random, !java.util.Arrays.equals(all, reseeded), c.id() + ": another seed changes exactly the random ones");
        }
    }

    /** Mean absolute difference from the clean image over 24 images, per severity. */
    static double[] meanAbsoluteDifference(Corruption c) {
        Corruptor corruptor = new Corruptor(1, FROST);
        double[] d = new double[5];
        for (int s = 1; s <= 5; s++)
            for (int i = 0; i < 24; i++) {
                byte[] x = synthetic(i), y = corruptor.apply(c, s, i, x);
                for (int k = 0; k < x.length; k++) d[s - 1] += Math.abs((x[k] & 0xff) - (y[k] & 0xff)) / (24.0 * x.length);
            }
        return d;
    }

    /**
     * Every corruption changes the image at every severity, and for the corruptions whose reference
     * parameters all grow with the severity the mean absolute difference grows strictly. The others,
     * by the reference's own parameters: glass_blur blurs less at 4 than at 3 (sigma 0.4, then 0.25
     * with two shuffles; CIFAR-10-C's own accuracies are 53, 56, 57, 43, 46% for a WRN-28-10), frost
     * darkens the image as it adds texture (checked by correlation below), elastic_transform moves the
     * affine anchor points less as the elastic field grows (its pixel distance falls; it is checked
     * only to change the image), and motion_blur 3 and 4 differ by taps of weight below 0.003 (checked
     * on the kernel in MotionBlurTest).
     */
    @Test
    void strongerSeveritiesChangeTheImageMore() {
        Set<Corruption> notMonotone = EnumSet.of(Corruption.GLASS_BLUR, Corruption.FROST, Corruption.ELASTIC_TRANSFORM,
                Corruption.MOTION_BLUR);
        for (Corruption c : Corruption.values()) {
            double[] d = meanAbsoluteDifference(c);
            for (int s = 0; s < 5; s++) assertTrue(d[s] > 0.3, c.id() + " severity " + (s + 1) + " barely changes the image: " + d[s]);
            if (!notMonotone.contains(c))
                for (int s = 1; s < 5; s++)
                    assertTrue(d[s] > d[s - 1], c.id() + ": severity " + (s + 1) + " changes less than " + s + ": "
                            + java.util.Arrays.toString(d));
        }
        double[] glass = meanAbsoluteDifference(Corruption.GLASS_BLUR), motion = meanAbsoluteDifference(Corruption.MOTION_BLUR);
        assertTrue(Math.min(glass[3], glass[4]) > Math.max(glass[0], Math.max(glass[1], glass[2])), "two shuffles > one");
        assertTrue(motion[4] > motion[2] && motion[2] > motion[1] && motion[1] > motion[0], java.util.Arrays.toString(motion));
    }

    /** frost: y = a x + b F with b / a = 0.2, 0.3, 0.44, 0.47, 0.6, so y's correlation with x falls with the severity. */
    @Test
    void frostDrownsTheImageMoreAtStrongerSeverities() {
        Corruptor corruptor = new Corruptor(3, FROST);
        double[] corr = new double[5];
        for (int s = 1; s <= 5; s++)
            for (int i = 0; i < 48; i++) {
                byte[] x = synthetic(i);
                corr[s - 1] += correlation(x, corruptor.apply(Corruption.FROST, s, i, x)) / 48;
            }
        for (int s = 1; s < 5; s++) assertTrue(corr[s] < corr[s - 1], java.util.Arrays.toString(corr));
    }

    static double correlation(byte[] a, byte[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += (a[i] & 0xff) / (double) a.length;
            mb += (b[i] & 0xff) / (double) a.length;
        }
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            double da = (a[i] & 0xff) - ma, db = (b[i] & 0xff) - mb;
            ab += da * db;
            aa += da * da;
            bb += db * db;
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void badInputIsRefused() {
        Rng rng = new Rng(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Corruption.FOG.apply(new byte[10], 1, rng, null));
        assertTrue(e.getMessage().contains("3x32x32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Corruption.FOG.apply(synthetic(0), 6, rng, null));
        assertTrue(e.getMessage().contains("severity must be 1..5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Corruption.byId("speckle"));
        assertTrue(e.getMessage().contains("unknown corruption 'speckle'") && e.getMessage().contains("glass_blur"), e.getMessage());
        ImageDataset big = new ImageDataset("tiny", new byte[3 * 64 * 64], new int[1], List.of("a"), 3, 64, 64);
        e = assertThrows(IllegalArgumentException.class,
                () -> new Corruptor(0, null).corrupt(big, Corruption.FOG, List.of(1), 1, (d, t) -> { }));
        assertTrue(e.getMessage().contains("3x64x64"), e.getMessage());
        assertEquals(15, Corruption.STANDARD.size());
        assertEquals(org.archrepair.models.data.CorruptionFolder.STANDARD, Corruption.STANDARD.stream().map(Corruption::id).toList());
    }
}
