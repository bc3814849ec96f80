package org.archrepair.repair.corrupt;

import org.archrepair.engine.Rng;
import org.archrepair.repair.corrupt.Filters.Boundary;

import static org.archrepair.repair.corrupt.Pixels.C;
import static org.archrepair.repair.corrupt.Pixels.H;
import static org.archrepair.repair.corrupt.Pixels.PLANE;
import static org.archrepair.repair.corrupt.Pixels.W;

/**
 * The blurs of CIFAR-10-C: gaussian_blur, glass_blur, defocus_blur, motion_blur and zoom_blur, with
 * the reference's parameters (ALGORITHM.md section 10). Kernels and zoom tables depend only on the
 * severity and are built once.
 */
final class Blurs {
    static final double[] GAUSSIAN_SIGMA = {0.4, 0.6, 0.7, 0.8, 1.0};
    /** glass_blur (sigma, max_delta, iterations). */
    static final double[][] GLASS = {{0.05, 1, 1}, {0.25, 1, 1}, {0.4, 1, 1}, {0.25, 1, 2}, {0.4, 1, 2}};
    /** defocus_blur (radius, alias_blur). */
    static final double[][] DEFOCUS = {{0.3, 0.4}, {0.4, 0.5}, {0.5, 0.6}, {1, 0.2}, {1.5, 0.1}};
    /** motion_blur (radius, sigma); the angle is uniform in [-45, 45) degrees. */
    static final double[][] MOTION = {{6, 1}, {6, 1.5}, {6, 2}, {8, 2}, {9, 2.5}};
    /** zoom_blur: np.arange(1, stop, 0.01) with these stops. */
    static final double[] ZOOM_STOP = {1.06, 1.11, 1.16, 1.21, 1.26};

    private static final DefocusKernel[] DEFOCUS_KERNELS = new DefocusKernel[DEFOCUS.length];
    private static final Zoom[][] ZOOMS = new Zoom[ZOOM_STOP.length][];

    static {
        for (int s = 0; s < DEFOCUS.length; s++) DEFOCUS_KERNELS[s] = DefocusKernel.of(DEFOCUS[s][0], DEFOCUS[s][1]);
        for (int s = 0; s < ZOOM_STOP.length; s++) {
            double[] z = zoomFactors(ZOOM_STOP[s]);
            ZOOMS[s] = new Zoom[z.length];
            for (int i = 0; i < z.length; i++) ZOOMS[s][i] = Zoom.of(H, z[i]);
        }
    }

    private Blurs() {
    }

    static byte[] gaussian(byte[] x, int severity) {
        return Pixels.fromUnit(Filters.gaussianPlanes(Pixels.unit(x), C, H, W, GAUSSIAN_SIGMA[severity - 1], 4,
                Boundary.NEAREST));
    }

    /**
     * u = uint8(gaussian(x) 255); then, per iteration, for h and w from 31 down to 2, pixel (h, w)
     * (all channels) takes the value of (h + dy, w + dx) with dx, dy in {-1, 0} (the reference's
     * "swap" of two NumPy views is a copy); finally gaussian(u / 255).
     */
    static byte[] glass(byte[] x, int severity, Rng rng) {
        double sigma = GLASS[severity - 1][0];
        int delta = (int) GLASS[severity - 1][1], iterations = (int) GLASS[severity - 1][2];
        double[] g = Filters.gaussianPlanes(Pixels.unit(x), C, H, W, sigma, 4, Boundary.NEAREST);
        double[] u = new double[g.length];
        for (int i = 0; i < g.length; i++) u[i] = (int) (g[i] * 255);
        for (int it = 0; it < iterations; it++)
            for (int h = H - delta; h > delta; h--)
                for (int w = W - delta; w > delta; w--) {
                    int dx = rng.nextInt(2 * delta) - delta, dy = rng.nextInt(2 * delta) - delta;
                    for (int c = 0; c < C; c++) u[c * PLANE + h * W + w] = u[c * PLANE + (h + dy) * W + w + dx];
                }
        for (int i = 0; i < u.length; i++) u[i] /= 255;
        return Pixels.fromUnit(Filters.gaussianPlanes(u, C, H, W, sigma, 4, Boundary.NEAREST));
    }

    static byte[] defocus(byte[] x, int severity) {
        DefocusKernel k = DEFOCUS_KERNELS[severity - 1];
        double[] v = Pixels.unit(x), out = new double[v.length];
        for (int c = 0; c < C; c++)
            Filters.correlate(v, c * PLANE, H, W, k.weights(), k.height(), k.width(), k.anchorY(), k.anchorX(),
                    Boundary.REFLECT_101, out, c * PLANE);
        return Pixels.fromUnit(out);
    }

    static byte[] motion(byte[] x, int severity, Rng rng) {
        double[] p = MOTION[severity - 1];
        MotionBlur.Taps taps = MotionBlur.taps((int) p[0], p[1], rng.uniform(-45f, 45f), H, W);
        double[] v = new double[x.length], out = new double[x.length];
        for (int i = 0; i < x.length; i++) v[i] = x[i] & 0xff;
        for (int c = 0; c < C; c++) MotionBlur.apply(v, c * PLANE, H, W, taps, out, c * PLANE);
        byte[] b = new byte[x.length];
        for (int i = 0; i < x.length; i++) b[i] = (byte) Pixels.truncate255(out[i]);
        return b;
    }

    /** (x + sum_z clipped_zoom(x, z)) / (count + 1). */
    static byte[] zoom(byte[] x, int severity) {
        Zoom[] zooms = ZOOMS[severity - 1];
        double[] v = Pixels.unit(x), sum = v.clone(), tmp = new double[PLANE];
        for (Zoom z : zooms)
            for (int c = 0; c < C; c++) z.apply(v, c * PLANE, sum, c * PLANE, true, tmp);
        for (int i = 0; i < sum.length; i++) sum[i] /= zooms.length + 1;
        return Pixels.fromUnit(sum);
    }

    /** np.arange(1, stop, 0.01) as numpy fills it: count ceil((stop - 1) / 0.01), value 1 + i ((1 + 0.01) - 1). */
    static double[] zoomFactors(double stop) {
        int count = (int) Math.ceil((stop - 1) / 0.01);
        double delta = (1 + 0.01) - 1;
        double[] z = new double[count];
        for (int i = 0; i < count; i++) z[i] = i == 0 ? 1 : i == 1 ? 1 + 0.01 : 1 + i * delta;
        return z;
    }

    /**
     * The reference's {@code disk(radius, alias_blur)}: on the 17 x 17 grid -8..8, the aliased disk
     * X^2 + Y^2 <= r^2 normalized to sum 1 (float32), smoothed by OpenCV's 3 x 3 GaussianBlur with
     * sigma alias_blur (kernel exp(-x^2 / (2 sigma^2)) normalized, border reflect-101), then cropped
     * to its non-zero support, with the anchor (the grid centre) moved to match.
     */
    record DefocusKernel(double[] weights, int height, int width, int anchorY, int anchorX) {
        static final int GRID = 17, CENTRE = 8;

        static DefocusKernel of(double radius, double aliasBlur) {
            double[] disk = new double[GRID * GRID];
            float count = 0;
            for (int y = 0; y < GRID; y++)
                for (int x = 0; x < GRID; x++) {
                    int dy = y - CENTRE, dx = x - CENTRE;
                    if (dx * dx + dy * dy <= radius * radius) {
                        disk[y * GRID + x] = 1;
                        count++;
                    }
                }
            for (int i = 0; i < disk.length; i++) disk[i] = (float) (disk[i] / count);
            double[] g = gaussian3(aliasBlur), blurred = new double[disk.length];
            Filters.separable(disk, 0, GRID, GRID, g, Boundary.REFLECT_101, blurred, 0);
            return crop(blurred);
        }

        /** OpenCV's getGaussianKernel(3, sigma) for sigma > 0, float32 weights. */
        static double[] gaussian3(double sigma) {
            double e = Math.exp(-0.5 / (sigma * sigma)), sum = 1 + 2 * e;
            return new double[]{(float) (e / sum), (float) (1 / sum), (float) (e / sum)};
        }

        private static DefocusKernel crop(double[] k) {
            int y0 = GRID, y1 = -1, x0 = GRID, x1 = -1;
            for (int y = 0; y < GRID; y++)
                for (int x = 0; x < GRID; x++)
                    if (k[y * GRID + x] != 0) {
                        y0 = Math.min(y0, y);
                        y1 = Math.max(y1, y);
                        x0 = Math.min(x0, x);
                        x1 = Math.max(x1, x);
                    }
            int h = y1 - y0 + 1, w = x1 - x0 + 1;
            double[] out = new double[h * w];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) out[y * w + x] = (float) k[(y0 + y) * GRID + x0 + x];   // cv2 keeps float32
            return new DefocusKernel(out, h, w, CENTRE - y0, CENTRE - x0);
        }
    }
}
