package org.archrepair.repair.corrupt;

import org.archrepair.engine.Rng;
import org.archrepair.engine.io.JsonFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The deterministic steps of the generator against the libraries the reference calls, run by their
 * own code: {@code /opencv/reference.json} holds what Pillow 9.4, OpenCV 4.6 and scikit-image 0.19
 * compute on one 32 x 32 image ({@code make_fixtures.py} beside it wrote it): Pillow's BOX pixelate,
 * OpenCV's disk kernel, filter2D, getAffineTransform and warpAffine, skimage's HSV brightness and
 * gaussian, and Pillow's JPEG round trip. All but the float warp agree byte for byte.
 */
class LibraryReferenceTest {
    private static final Map<?, ?> REF;

    static {
        try (var in = LibraryReferenceTest.class.getResourceAsStream("/opencv/reference.json")) {
            REF = (Map<?, ?>) JsonFormat.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A (32, 32, 3) uint8 hex string as (3, 32, 32). */
    private static byte[] chw(String key) {
        byte[] hwc = HexFormat.of().parseHex((String) REF.get(key)), out = new byte[hwc.length];
        for (int p = 0; p < 1024; p++) for (int c = 0; c < 3; c++) out[c * 1024 + p] = hwc[p * 3 + c];
        return out;
    }

    private static double[] floats(String key) {
        return ((List<?>) REF.get(key)).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }

    private static final byte[] IMAGE = chw("image_hwc");

    private static byte[] apply(Corruption c, int s) {
        return c.apply(IMAGE, s, new Rng(0), null);
    }

    @Test
    void pixelateIsPillowByteForByte() {
        for (int s = 1; s <= 5; s++) assertArrayEquals(chw("pixelate_" + s), apply(Corruption.PIXELATE, s), "severity " + s);
    }

    @Test
    void defocusKernelAndFilterAreOpenCVs() {
        for (int s = 1; s <= 5; s++) {
            Blurs.DefocusKernel k = Blurs.DefocusKernel.of(Blurs.DEFOCUS[s - 1][0], Blurs.DEFOCUS[s - 1][1]);
            double[] full = new double[17 * 17];
            for (int y = 0; y < k.height(); y++)
                for (int x = 0; x < k.width(); x++) full[(8 - k.anchorY() + y) * 17 + 8 - k.anchorX() + x] = k.weights()[y * k.width() + x];
            assertArrayEquals(floats("disk_" + s), full, 1e-7, "disk of severity " + s);
            assertArrayEquals(chw("defocus_" + s), apply(Corruption.DEFOCUS_BLUR, s), "defocus_blur severity " + s);
        }
    }

    @Test
    void brightnessAndGaussianBlurAreSkimages() {
        for (int s = 1; s <= 5; s++) {
            assertArrayEquals(chw("brightness_" + s), apply(Corruption.BRIGHTNESS, s), "brightness severity " + s);
            assertArrayEquals(chw("gaussian_blur_" + s), apply(Corruption.GAUSSIAN_BLUR, s), "gaussian_blur severity " + s);
        }
    }

    @Test
    void affineWarpIsOpenCVs() {
        float[][] from = {{26, 26}, {26, 6}, {6, 6}};
        float[][] to = {{26 + 1.3f, 26 - 2.1f}, {26 + 0.4f, 6 + 0.9f}, {6 - 1.7f, 6 + 2.2f}};
        double[] m = Elastic.affineTransform(from, to);
        assertArrayEquals(floats("affine_M"), m, 1e-9);
        double[] image = new double[IMAGE.length];
        for (int i = 0; i < image.length; i++) image[i] = (float) ((IMAGE[i] & 0xff) / 255f);
        double[] warped = Elastic.warpAffine(image, m), expected = floats("warp_affine"), chw = new double[expected.length];
        for (int p = 0; p < 1024; p++) for (int c = 0; c < 3; c++) chw[c * 1024 + p] = expected[p * 3 + c];
        // OpenCV sums the four products in float32, we in double and round once: a few float32 ulp (6e-8 near 1)
        assertArrayEquals(chw, warped, 2.5e-7, "bilinear at OpenCV's 1/32-pixel positions, reflect-101 border");
    }

    /**
     * javax.imageio's codec is IJG libjpeg 6b, Pillow 9.4's libjpeg-turbo; with libjpeg's tables,
     * 4:2:0 and the standard Huffman tables, the two round trips give the same bytes.
     */
    @Test
    void jpegIsPillowsByteForByte() {
        for (int s = 1; s <= 5; s++) assertArrayEquals(chw("jpeg_" + s), apply(Corruption.JPEG_COMPRESSION, s), "severity " + s);
    }
}
