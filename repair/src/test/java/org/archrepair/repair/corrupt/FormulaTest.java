package org.archrepair.repair.corrupt;

import org.archrepair.engine.Rng;
import org.junit.jupiter.api.Test;

import javax.imageio.plugins.jpeg.JPEGQTable;
import java.util.Arrays;

import static org.archrepair.repair.corrupt.CorruptionTest.synthetic;
import static org.junit.jupiter.api.Assertions.*;

/** The simple corruptions and the building blocks against their formulas, computed here independently. */
class FormulaTest {

    @Test
    void contrastIsTheFormula() {
        byte[] x = synthetic(11);
        for (int s = 1; s <= 5; s++) {
            byte[] y = Corruption.CONTRAST.apply(x, s, new Rng(0), null);
            double c = new double[]{.75, .5, .4, .3, .15}[s - 1];
            for (int ch = 0; ch < 3; ch++) {
                double mean = 0;
                for (int i = 0; i < 1024; i++) mean += (x[ch * 1024 + i] & 0xff) / 255.0 / 1024;
                for (int i = 0; i < 1024; i++) {
                    double v = ((x[ch * 1024 + i] & 0xff) / 255.0 - mean) * c + mean;
                    assertEquals((int) (Math.min(1, Math.max(0, v)) * 255), y[ch * 1024 + i] & 0xff, 1e-9, "severity " + s);
                }
            }
        }
    }

    /**
     * Adding c to V at fixed hue and saturation scales the pixel by V' / V (and turns black into the
     * grey V'). The HSV round trip agrees with that to rounding: where v 255 lands within 1e-9 of an
     * integer the truncation may differ by one level, nowhere else.
     */
    @Test
    void brightnessScalesThePixelByItsNewValue() {
        for (int k = 0; k < 8; k++) {
            byte[] x = synthetic(20 + k);
            x[0] = x[1024] = x[2048] = 0;   // one black pixel
            for (int s = 1; s <= 5; s++) {
                byte[] y = Corruption.BRIGHTNESS.apply(x, s, new Rng(0), null);
                double c = new double[]{.05, .1, .15, .2, .3}[s - 1];
                for (int i = 0; i < 1024; i++) {
                    double r = (x[i] & 0xff) / 255.0, g = (x[1024 + i] & 0xff) / 255.0, b = (x[2048 + i] & 0xff) / 255.0;
                    double v = Math.max(r, Math.max(g, b)), v2 = Math.min(1, v + c);
                    double[] rgb = {r, g, b};
                    for (int ch = 0; ch < 3; ch++) {
                        double expected = (v == 0 ? v2 : rgb[ch] * v2 / v) * 255;
                        int got = y[ch * 1024 + i] & 0xff;
                        if (Math.abs(expected - Math.rint(expected)) > 1e-9) assertEquals((int) expected, got, "pixel " + i);
                        else assertTrue(got == (int) (expected - 1e-9) || got == (int) (expected + 1e-9), "pixel " + i + " channel " + ch + " severity " + s
                                + ": expected " + expected + ", got " + got + " from " + Arrays.toString(rgb) + " v " + v);
                    }
                }
            }
        }
    }

    @Test
    void gaussianNoiseHasTheStatedSigma() {
        byte[] grey = new byte[Pixels.SIZE];
        Arrays.fill(grey, (byte) 128);
        for (int s = 1; s <= 5; s++) {
            double sigma = 255 * new double[]{.04, .06, .08, .09, .10}[s - 1], sum = 0, sq = 0;
            int n = 0;
            for (int i = 0; i < 40; i++) {
                byte[] y = Corruption.GAUSSIAN_NOISE.apply(grey, s, new Rng(0).fork("g" + i), null);
                for (byte v : y) {
                    double d = (v & 0xff) - 128;
                    sum += d;
                    sq += d * d;
                    n++;
                }
            }
            double mean = sum / n, sd = Math.sqrt(sq / n - mean * mean);
            // truncation to uint8 lowers the mean by 1/2 and adds 1/12 to the variance
            assertEquals(-0.5, mean, 5 * sigma / Math.sqrt(n), "mean, severity " + s);
            assertEquals(Math.sqrt(sigma * sigma + 1.0 / 12), sd, 5 * sd / Math.sqrt(2.0 * n), "sd, severity " + s);
        }
    }

    @Test
    void poissonSamplerHasMeanAndVarianceLambda() {
        SplittableRandomSource random = new SplittableRandomSource(9);
        for (double lambda : new double[]{0, 0.4, 7.3, 98, 500}) {
            double[] cdf = Noise.PoissonTables.cdf(lambda);
            Noise.PoissonTables.Table table = new Noise.PoissonTables.Table(cdf);
            for (double u = 0; u < 1; u += 1e-3) {   // the guide table only shortens the search for the same k
                int k = 0;
                while (k < cdf.length - 1 && cdf[k] <= u) k++;
                assertEquals(k, table.sample(u));
            }
            int n = 200_000;
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++) {
                int k = table.sample(random.next());
                sum += k;
                sq += (double) k * k;
            }
            double mean = sum / n, var = sq / n - mean * mean;
            assertEquals(lambda, mean, 5 * Math.sqrt(lambda / n) + 1e-12, "mean for lambda " + lambda);
            assertEquals(lambda, var, 5 * Math.sqrt((2 * lambda * lambda + lambda) / n) + 1e-12, "variance for lambda " + lambda);
        }
        assertEquals(1.0, Noise.PoissonTables.cdf(500)[Noise.PoissonTables.cdf(500).length - 1], 1e-12);
    }

    private record SplittableRandomSource(java.util.SplittableRandom r) {
        SplittableRandomSource(long seed) {
            this(new java.util.SplittableRandom(seed));
        }

        double next() {
            return r.nextDouble();
        }
    }

    @Test
    void shotNoiseKeepsTheMeanAndImpulseNoiseFlipsItsShare() {
        byte[] grey = new byte[Pixels.SIZE];
        Arrays.fill(grey, (byte) 100);
        double sum = 0;
        int n = 0, flipped = 0, salt = 0;
        for (int i = 0; i < 40; i++) {
            for (byte v : Corruption.SHOT_NOISE.apply(grey, 5, new Rng(1).fork("s" + i), null)) {
                sum += v & 0xff;
                n++;
            }
            for (byte v : Corruption.IMPULSE_NOISE.apply(grey, 4, new Rng(1).fork("i" + i), null)) {
                if ((v & 0xff) != 100) flipped++;
                if ((v & 0xff) == 255) salt++;
                assertTrue((v & 0xff) == 100 || (v & 0xff) == 0 || (v & 0xff) == 255);
            }
        }
        // k / 50 * 255 with k ~ Poisson(100 / 255 * 50): mean 100, minus about 1/2 from truncation
        assertEquals(99.5, sum / n, 5 * Math.sqrt(100.0 * 255 / 50 / n) + 0.1);
        assertEquals(0.05, (double) flipped / n, 5 * Math.sqrt(0.05 * 0.95 / n));
        assertEquals(0.5, (double) salt / flipped, 5 * Math.sqrt(0.25 / flipped));
    }

    /** Pillow BOX: each source pixel goes to the one output pixel whose footprint holds its centre; mean rounded half up. */
    @Test
    void pixelateIsPillowsBoxResampling() {
        byte[] row = {10, 20, 30, 41};
        assertArrayEquals(new byte[]{15, 36}, Digital.PillowBox.resize(row, 1, 1, 4, 1, 2));
        assertArrayEquals(new byte[]{15, 15, 36, 36}, Digital.PillowBox.resize(new byte[]{15, 36}, 1, 1, 2, 1, 4));
        // 32 -> 30: output pixel 0 covers [0, 1.067): only source pixel 0; pixel 14 covers [14.93, 16): source 15
        int[][] k = Digital.PillowBox.coefficients(32, 30);
        assertEquals(0, k[0][0]);
        assertEquals(1 << 22, Arrays.stream(k[0], 1, k[0].length).sum());
        byte[] ramp = new byte[32];
        for (int i = 0; i < 32; i++) ramp[i] = (byte) (8 * i);
        byte[] down = Digital.PillowBox.resize(ramp, 1, 1, 32, 1, 30);
        assertEquals(0, down[0] & 0xff);
        assertEquals(8 * 15, down[14] & 0xff);
        byte[] flat = new byte[Pixels.SIZE];
        Arrays.fill(flat, (byte) 77);
        for (int s = 1; s <= 5; s++) assertArrayEquals(flat, Corruption.PIXELATE.apply(flat, s, new Rng(0), null));
    }

    @Test
    void motionBlurKernelAndShifts() {
        double[] k = MotionBlur.kernel(13, 2);
        double z = 0;
        for (int i = 0; i < 13; i++) z += Math.exp(-i * i / 8.0);
        for (int i = 0; i < 13; i++) assertEquals(Math.exp(-i * i / 8.0) / z, k[i], 1e-15);
        MotionBlur.Taps right = MotionBlur.taps(6, 2, 0, 32, 32), up = MotionBlur.taps(6, 2, 90, 32, 32);
        for (int i = 0; i < 13; i++) {
            assertEquals(-i, right.dx()[i]);
            assertEquals(0, right.dy()[i]);
            assertEquals(-i, up.dy()[i]);
            assertEquals(0, up.dx()[i]);
        }
        assertEquals(32, MotionBlur.taps(20, 8, 0, 32, 32).weight().length, "taps stop at a shift of the image size");
        // a one-pixel line blurred along x spreads to the left by the kernel (out(y, x) = sum k_i in(y, x + i))
        double[] line = new double[32 * 32], out = new double[32 * 32];
        line[5 * 32 + 20] = 1;
        MotionBlur.apply(line, 0, 32, 32, right, out, 0);
        for (int i = 0; i < 13; i++) assertEquals(k[i], out[5 * 32 + 20 - i], 1e-15);
        // severities 3 and 4 ((6, 2) and (8, 2)): the wider kernel spreads strictly further
        assertTrue(secondMoment(MotionBlur.kernel(17, 2)) > secondMoment(MotionBlur.kernel(13, 2)));
    }

    private static double secondMoment(double[] k) {
        double m = 0;
        for (int i = 0; i < k.length; i++) m += k[i] * i * i;
        return m;
    }

    @Test
    void defocusKernelIsTheBlurredDisk() {
        // radius 0.3: the disk is the centre alone, so the kernel is OpenCV's 3x3 Gaussian, g g^T
        Blurs.DefocusKernel k = Blurs.DefocusKernel.of(0.3, 0.4);
        double e = Math.exp(-1 / (2 * 0.16)), g0 = (float) (e / (1 + 2 * e)), g1 = (float) (1 / (1 + 2 * e));
        double[] g = {g0, g1, g0};
        assertEquals(3, k.height());
        assertEquals(1, k.anchorY());
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(g[i] * g[j], k.weights()[i * 3 + j], 1e-7);
        // radius 1: a plus of five pixels, blurred: 5x5 support without its corners, sum 1, symmetric
        Blurs.DefocusKernel plus = Blurs.DefocusKernel.of(1, 0.2);
        assertEquals(5, plus.height());
        assertEquals(2, plus.anchorX());
        assertEquals(0, plus.weights()[0]);
        assertEquals(1, Arrays.stream(plus.weights()).sum(), 1e-6);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) assertEquals(plus.weights()[i * 5 + j], plus.weights()[j * 5 + (4 - i)], 1e-7);
        // radius 1.5: the full 3x3 square, blurred to 5x5 with non-zero corners
        assertTrue(Blurs.DefocusKernel.of(1.5, 0.1).weights()[0] > 0);
    }

    @Test
    void plasmaFractalSpansZeroToOne() {
        for (double decay : new double[]{3, 2.5, 2, 1.75}) {
            double[] p = Weather.plasmaFractal(32, decay, new Rng(7).fork("p" + decay));
            assertEquals(0, Arrays.stream(p).min().orElseThrow());
            assertEquals(1, Arrays.stream(p).max().orElseThrow());
            assertEquals(1024, p.length);
            assertTrue(Arrays.stream(p).distinct().count() > 1000, "every point is filled");
        }
        assertThrows(IllegalArgumentException.class, () -> Weather.plasmaFractal(30, 2, new Rng(0)));
    }

    /** np.arange(1, stop, 0.01): 7, 12, 16, 21, 26 factors, ending at 1.06, 1.11, 1.15, 1.20, 1.25 (float quirk). */
    @Test
    void zoomFactorsAndTheIdentityZoom() {
        int[] counts = {7, 12, 16, 21, 26};
        double[] last = {1.06, 1.11, 1.1500000000000001, 1.2000000000000002, 1.2500000000000002};
        for (int s = 0; s < 5; s++) {
            double[] z = Blurs.zoomFactors(Blurs.ZOOM_STOP[s]);
            assertEquals(counts[s], z.length);
            assertEquals(last[s], z[z.length - 1], 0);
        }
        double[] x = new double[1024], y = new double[1024];
        for (int i = 0; i < 1024; i++) x[i] = i % 37;
        Zoom.of(32, 1.0).apply(x, 0, y, 0, false, new double[1024]);
        assertArrayEquals(x, y, 0);
        // z = 2: crop the centre 16 (8..23), size 32, input = output * 15 / 31
        Zoom.of(32, 2.0).apply(x, 0, y, 0, false, new double[1024]);
        double t = 31 * 15.0 / 31 - 14;
        assertEquals(x[23 * 32 + 23], y[31 * 32 + 31], 1e-12);
        assertEquals(x[8 * 32 + 8], y[0], 1e-12);
        assertEquals(1, t, 1e-12);
    }

    @Test
    void jpegUsesLibjpegTablesAnd420() throws Exception {
        for (int q : Jpeg.QUALITY) {
            byte[] file = Jpeg.encode(synthetic(3), q);
            int sof = marker(file, 0xC0), dqt = marker(file, 0xDB);
            assertTrue(sof > 0, "baseline SOF0");
            // length (2), precision, height (2), width (2), components, then (id, HV sampling, table) each
            assertEquals(3, file[sof + 7]);
            assertEquals(0x22, file[sof + 9] & 0xff, "Y sampled 2x2");
            assertEquals(0x11, file[sof + 12] & 0xff, "Cb 1x1");
            assertEquals(0x11, file[sof + 15] & 0xff, "Cr 1x1");
            int scale = q < 50 ? 5000 / q : 200 - 2 * q;
            int[] expected = Arrays.stream(JPEGQTable.K1Luminance.getTable())
                    .map(v -> (int) Math.min(255, Math.max(1, (v * (long) scale + 50) / 100))).sorted().toArray();
            int[] actual = new int[64];
            for (int i = 0; i < 64; i++) actual[i] = file[dqt + 3 + i] & 0xff;   // length (2), Pq/Tq (1), 64 values
            Arrays.sort(actual);
            assertArrayEquals(expected, actual, "luminance table at quality " + q);
        }
        byte[] flat = new byte[Pixels.SIZE];
        Arrays.fill(flat, (byte) 128);
        assertArrayEquals(flat, Corruption.JPEG_COMPRESSION.apply(flat, 5, new Rng(0), null), "a flat grey survives JPEG");
    }

    /** Offset of the byte after the FF xx marker, or -1. */
    private static int marker(byte[] f, int code) {
        for (int i = 0; i + 1 < f.length; i++) if ((f[i] & 0xff) == 0xFF && (f[i + 1] & 0xff) == code) return i + 2;
        return -1;
    }
}
