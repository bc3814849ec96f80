package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The image operations by hand on tiny uint8 images, and AugMix's mixture and sampling. */
class ImageOpsTest {
    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (byte) v[i];
        return out;
    }

    private static int[] u(byte[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] & 0xff;
        return out;
    }

    @Test
    void rotateQuarterTurnCounterClockwise() {
        // [[a, b], [c, d]] turned 90 degrees counter-clockwise is [[b, d], [a, c]]
        assertArrayEquals(new int[]{20, 40, 10, 30}, u(ImageOps.rotate(b(10, 20, 30, 40), 1, 2, 2, 90)));
        assertArrayEquals(new int[]{10, 20, 30, 40}, u(ImageOps.rotate(b(10, 20, 30, 40), 1, 2, 2, 0)));
    }

    @Test
    void affineTranslationAndShear() {
        // out(x) = in(x + 1): one pixel to the left, black fill
        assertArrayEquals(new int[]{2, 3, 0, 5, 6, 0}, u(ImageOps.affine(b(1, 2, 3, 4, 5, 6), 1, 2, 3, 1, 0, 1, 0, 1, 0)));
        // half-pixel shift: bilinear average of neighbours (the last one with the black border)
        assertArrayEquals(new int[]{15, 25, 15}, u(ImageOps.affine(b(10, 20, 30), 1, 1, 3, 1, 0, 0.5, 0, 1, 0)));
        // shear_x by 1 on rows 0 and 1: row y reads x + y + 0.5: a shift of 0.5, then of 1.5
        assertArrayEquals(new int[]{15, 25, 15, 25, 15, 0}, u(ImageOps.affine(b(10, 20, 30, 10, 20, 30), 1, 2, 3, 1, 1, 0, 0, 1, 0)));
    }

    @Test
    void senseiSpatialIdentityAndTranslation() {
        byte[] img = b(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertArrayEquals(u(img), u(ImageOps.spatial(img, 1, 3, 3, 0, 0, 0, 0, 1)));
        // moved one pixel right and one down
        assertArrayEquals(new int[]{0, 0, 0, 0, 1, 2, 0, 4, 5}, u(ImageOps.spatial(img, 1, 3, 3, 0, 1, 1, 0, 1)));
        assertArrayEquals(new int[]{10, 50, 255}, u(ImageOps.brightnessContrast(b(0, 20, 200), 10, 2)));
    }

    @Test
    void pilPointOperations() {
        assertArrayEquals(new int[]{160, 96}, u(ImageOps.posterize(b(183, 100), 3)));
        assertArrayEquals(new int[]{100, 55, 127}, u(ImageOps.solarize(b(100, 200, 128), 128)));
        // autocontrast: [50, 150] to [0, 255]; scale 2.55, offset -127.5, truncated
        assertArrayEquals(new int[]{0, 127, 255}, u(ImageOps.autocontrast(b(50, 100, 150), 1, 1, 3)));
        assertArrayEquals(new int[]{7, 7}, u(ImageOps.autocontrast(b(7, 7), 1, 1, 2)), "flat: unchanged");
        assertArrayEquals(new int[]{3, 2, 1, 6, 5, 4}, u(ImageOps.flip(b(1, 2, 3, 4, 5, 6), 1, 2, 3)));
        assertArrayEquals(new int[]{75, 25}, u(ImageOps.blend(b(100, 0), b(0, 100), 0.25)));
    }

    @Test
    void equalizeAsPilBuildsItsTable() {
        // 512 pixels: 256 zeros, 128 ones, 128 twos; step = (512 - 128) / 255 = 1, lut = 0, 256 -> 255, 384 -> 255
        byte[] img = new byte[512];
        for (int i = 256; i < 384; i++) img[i] = 1;
        for (int i = 384; i < 512; i++) img[i] = 2;
        int[] out = u(ImageOps.equalize(img, 1, 16, 32));
        assertEquals(0, out[0]);
        assertEquals(255, out[300]);
        assertEquals(255, out[500]);
        assertArrayEquals(new int[]{0, 1, 2, 2}, u(ImageOps.equalize(b(0, 1, 2, 2), 1, 2, 2)), "step 0: unchanged");
    }

    @Test
    void augMixSamplesAndMixesConvexly() {
        AugMix a = AugMix.DEFAULT;
        Rng r = new Rng(1);
        for (int t = 0; t < 100; t++) {
            double[] w = a.dirichlet(3, r);
            assertEquals(1, w[0] + w[1] + w[2], 1e-12);
            double m = a.beta(r);
            assertTrue(m > 0 && m < 1);
        }
        double sum = 0;
        for (int t = 0; t < 20000; t++) sum += AugMix.gamma(2.5, r);
        assertEquals(2.5, sum / 20000, 0.05, "Gamma(2.5) has mean 2.5");
        assertEquals(3, AugMix.intParameter(1.0, 30), "int(level max / 10)");
        assertEquals(0.09, AugMix.floatParameter(3.0, 0.3), 1e-12);
        byte[] flat = new byte[3 * 4 * 4];
        java.util.Arrays.fill(flat, (byte) 128);
        // a guided op that makes the image white, drawn with probability 1/10 per slot: the mixture stays in [0, 1]
        AugMix.GuidedOp white = (img, label, index, rng) -> {
            byte[] w = new byte[img.length];
            java.util.Arrays.fill(w, (byte) 255);
            return w;
        };
        boolean sawGuided = false;
        for (int t = 0; t < 50; t++) {
            float[] mix = a.mix(flat, 3, 4, 4, 0, 0, white, new Rng(t));
            for (float v : mix) assertTrue(v >= 0 && v <= 1);
            sawGuided |= mix[0] > 128 / 255f + 1e-6;
        }
        assertTrue(sawGuided, "the guided op is one of the ops");
    }

    @Test
    void fewShotMixesAFailureOfTheSameClass() {
        // train: failures first (class 0: white, class 1: black), then a class 2 image
        byte[] px = new byte[3 * 3];
        java.util.Arrays.fill(px, 0, 3, (byte) 255);
        var train = new org.archrepair.models.data.ImageDataset("t", px, new int[]{0, 1, 2}, java.util.List.of("a", "b", "c"),
                3, 1, 1);
        AugMix.GuidedOp op = FewShotMethod.failureMix(train, 2, AugMix.DEFAULT);
        byte[] grey = b(100, 100, 100);
        int mixed = op.apply(grey, 0, 9, new Rng(1))[0] & 0xff;
        assertTrue(mixed > 100 && mixed <= 100 + 0.3 * 155 + 1, "toward white by beta <= 0.3: " + mixed);
        assertTrue((op.apply(grey, 1, 9, new Rng(1))[0] & 0xff) < 100, "toward black");
        assertSame(grey, op.apply(grey, 2, 9, new Rng(1)), "no failure of class 2: as it is");
    }
}
