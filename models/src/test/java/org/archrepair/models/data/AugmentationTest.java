package org.archrepair.models.data;

import org.archrepair.engine.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crop and flip against a literal reimplementation of torchvision (pad into a bigger canvas, cut
 * a window at (top, left), mirror the columns), and the normalization against
 * worked-out values (and its table against the formula in double).
 */
class AugmentationTest {
    private static final int C = 3, H = 5, W = 6;

    /** Distinct non-zero values: v(c, y, x) = 1 + 40c + 7y + x. */
    private static byte[] image() {
        byte[] b = new byte[C * H * W];
        for (int c = 0; c < C; c++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) b[(c * H + y) * W + x] = (byte) (1 + 40 * c + 7 * y + x);
        return b;
    }

    /** torchvision's steps, literally: zero-pad by p, take the H x W window at (top, left), mirror it. */
    private static byte[] reference(byte[] src, int p, int top, int left, boolean flip) {
        int ph = H + 2 * p, pw = W + 2 * p;
        byte[] padded = new byte[C * ph * pw];
        for (int c = 0; c < C; c++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) padded[(c * ph + y + p) * pw + x + p] = src[(c * H + y) * W + x];
        byte[] out = new byte[C * H * W];
        for (int c = 0; c < C; c++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    byte v = padded[(c * ph + y + top) * pw + x + left];
                    out[(c * H + y) * W + (flip ? W - 1 - x : x)] = v;
                }
        return out;
    }

    @Test
    void everyOffsetAndFlipMatchesTheLiteralPadCropFlip() {
        byte[] src = image();
        int p = 4;
        for (int top = 0; top <= 2 * p; top++)
            for (int left = 0; left <= 2 * p; left++)
                for (boolean flip : new boolean[]{false, true}) {
                    byte[] out = new byte[src.length];
                    Augmentation.apply(src, 0, out, 0, C, H, W, top - p, left - p, flip);
                    assertArrayEquals(reference(src, p, top, left, flip), out, "top " + top + " left " + left + " flip " + flip);
                }
    }

    @Test
    void handCheckedCases() {
        byte[] src = image(), out = new byte[src.length];
        Augmentation.apply(src, 0, out, 0, C, H, W, 0, 0, true);   // pure flip: row 0 of red reversed
        assertArrayEquals(new byte[]{6, 5, 4, 3, 2, 1}, java.util.Arrays.copyOf(out, 6));
        Augmentation.apply(src, 0, out, 0, C, H, W, -1, 2, false);  // shifted down 1 (zero row), left by 2
        assertArrayEquals(new byte[]{0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOf(out, 6));
        assertArrayEquals(new byte[]{3, 4, 5, 6, 0, 0}, java.util.Arrays.copyOfRange(out, 6, 12));
    }

    @Test
    void randomDrawsCoverAllOffsetsAndFlipAboutHalf() {
        Rng rng = new Rng(11);
        byte[] src = image(), out = new byte[src.length];
        int flips = 0, n = 4000;
        boolean[] seen = new boolean[9 * 9];
        for (int i = 0; i < n; i++) {
            Augmentation.CIFAR.apply(src, 0, out, 0, C, H, W, rng);
            // identify the draw by brute force against the reference
            boolean found = false;
            for (int t = 0; t < 9 && !found; t++)
                for (int l = 0; l < 9 && !found; l++)
                    for (boolean f : new boolean[]{false, true})
                        if (!found && java.util.Arrays.equals(reference(src, 4, t, l, f), out)) {
                            found = true;
                            seen[t * 9 + l] = true;
                            if (f) flips++;
                        }
            assertTrue(found, "draw " + i + " is not a pad-crop-flip of the image");
        }
        for (boolean s : seen) assertTrue(s, "some offset never drawn in " + n + " draws");
        assertTrue(Math.abs(flips - n / 2) < 200, "flips " + flips + " of " + n);
        byte[] same = new byte[src.length];
        Augmentation.NONE.apply(src, 0, same, 0, C, H, W, rng);
        assertArrayEquals(src, same);
    }

    @Test
    void normalizationIsTorchvisionsFormulaInFloat() {
        Normalization n = Normalization.AKAMASTER;
        assertArrayEquals(new float[]{0.485f, 0.456f, 0.406f}, n.mean());
        assertArrayEquals(new float[]{0.229f, 0.224f, 0.225f}, n.std());
        assertArrayEquals(new float[]{0.4914f, 0.4822f, 0.4465f}, Normalization.KUANGLIU.mean());
        assertArrayEquals(new float[]{0.2023f, 0.1994f, 0.2010f}, Normalization.KUANGLIU.std());
        assertEquals(-2.1179039f, n.apply(0, 0), 1e-6f);
        assertEquals(2.64f, n.apply(2, 255), 1e-6f);
        assertEquals(0.2051821f, n.apply(1, 128), 1e-6f);
        float[] lut = Normalization.KUANGLIU.table();
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < 256; p++) {
                double expected = (p / 255.0 - Normalization.KUANGLIU.mean()[c]) / Normalization.KUANGLIU.std()[c];
                assertEquals(expected, lut[c * 256 + p], 2e-6, "channel " + c + " pixel " + p);
            }
        assertEquals(1f, Normalization.unit(3).apply(1, 255));
    }
}
