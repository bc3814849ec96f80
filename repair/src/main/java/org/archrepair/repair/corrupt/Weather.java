package org.archrepair.repair.corrupt;

import org.archrepair.engine.Rng;

import static org.archrepair.repair.corrupt.Pixels.C;
import static org.archrepair.repair.corrupt.Pixels.H;
import static org.archrepair.repair.corrupt.Pixels.PLANE;
import static org.archrepair.repair.corrupt.Pixels.W;
import static org.archrepair.repair.corrupt.Pixels.clip01;

/** snow, frost and fog of CIFAR-10-C with the reference's parameters (ALGORITHM.md section 10). */
final class Weather {
    /** snow (mean, std, zoom, threshold, blur radius, blur sigma, blend). */
    static final double[][] SNOW = {{0.1, 0.2, 1, 0.6, 8, 3, 0.95}, {0.1, 0.2, 1, 0.5, 10, 4, 0.9},
            {0.15, 0.3, 1.75, 0.55, 10, 4, 0.9}, {0.25, 0.3, 2.25, 0.6, 12, 6, 0.85}, {0.3, 0.3, 1.25, 0.65, 14, 12, 0.8}};
    /** frost (image weight, texture weight). */
    static final double[][] FROST = {{1, 0.2}, {1, 0.3}, {0.9, 0.4}, {0.85, 0.4}, {0.75, 0.45}};
    /** fog (strength, wibble decay). */
    static final double[][] FOG = {{0.2, 3}, {0.5, 3}, {0.75, 2.5}, {1, 2}, {1.5, 1.75}};

    private static final Zoom[] SNOW_ZOOM = new Zoom[SNOW.length];

    static {
        for (int s = 0; s < SNOW.length; s++) SNOW_ZOOM[s] = SNOW[s][2] == 1 ? null : Zoom.of(H, SNOW[s][2]);
    }

    private Weather() {
    }

    /**
     * A snow layer L ~ N(mean, std) per pixel, zoomed, thresholded, quantized to uint8, motion-blurred
     * at an angle in [-135, -45) degrees; the image is brightened towards 1.5 gray + 0.5 by 1 - blend;
     * the result is clip(x' + L + L rotated by 180 degrees).
     */
    static byte[] snow(byte[] x, int severity, Rng rng) {
        double[] p = SNOW[severity - 1];
        double[] layer = new double[PLANE];
        for (int i = 0; i < PLANE; i++) layer[i] = p[0] + p[1] * rng.normal();
        if (SNOW_ZOOM[severity - 1] != null) {
            double[] zoomed = new double[PLANE];
            SNOW_ZOOM[severity - 1].apply(layer, 0, zoomed, 0, false, new double[PLANE]);
            layer = zoomed;
        }
        for (int i = 0; i < PLANE; i++) layer[i] = layer[i] < p[3] ? 0 : (int) (clip01(layer[i]) * 255);
        MotionBlur.Taps taps = MotionBlur.taps((int) p[4], p[5], rng.uniform(-135f, -45f), H, W);
        double[] blurred = new double[PLANE];
        MotionBlur.apply(layer, 0, H, W, taps, blurred, 0);
        for (int i = 0; i < PLANE; i++) blurred[i] = Pixels.truncate255(blurred[i]) / 255.0;
        double[] v = Pixels.unit(x), out = new double[v.length];
        double blend = p[6];
        for (int i = 0; i < PLANE; i++) {
            double gray = 0.299 * v[i] + 0.587 * v[PLANE + i] + 0.114 * v[2 * PLANE + i];
            double snow = blurred[i] + blurred[PLANE - 1 - i];
            for (int c = 0; c < C; c++) {
                double xc = v[c * PLANE + i];
                out[c * PLANE + i] = blend * xc + (1 - blend) * Math.max(xc, gray * 1.5 + 0.5) + snow;
            }
        }
        return Pixels.fromUnit(out);
    }

    /** clip(a x + b F) on the 0..255 scale, F a random 32 x 32 crop of one of five frost textures. */
    static byte[] frost(byte[] x, int severity, Rng rng, FrostTextures textures) {
        double a = FROST[severity - 1][0], b = FROST[severity - 1][1];
        FrostTextures.Texture t = textures.get(rng.nextInt(FrostTextures.COUNT));
        int top = rng.nextInt(t.height() - H), left = rng.nextInt(t.width() - W);
        double[] out = new double[x.length];
        for (int c = 0; c < C; c++)
            for (int y = 0; y < H; y++)
                for (int xx = 0; xx < W; xx++)
                    out[c * PLANE + y * W + xx] = a * (x[c * PLANE + y * W + xx] & 0xff) + b * t.value(c, top + y, left + xx);
        return Pixels.truncate255(out);
    }

    /** m = max(x); clip((x + a plasma) m / (m + a)). */
    static byte[] fog(byte[] x, int severity, Rng rng) {
        double a = FOG[severity - 1][0];
        double[] plasma = plasmaFractal(H, FOG[severity - 1][1], rng), v = Pixels.unit(x);
        double max = 0;
        for (double e : v) max = Math.max(max, e);
        for (int c = 0; c < C; c++)
            for (int i = 0; i < PLANE; i++) v[c * PLANE + i] = (v[c * PLANE + i] + a * plasma[i]) * max / (max + a);
        return Pixels.fromUnit(v);
    }

    /**
     * The reference's diamond-square height map, size x size (a power of two), min-max normalized to
     * [0, 1]. map[0, 0] = 0, wibble starts at 100; each step (step size halving from size to 2) sets
     * the square centres to the sum of their 4 corners / 4 plus wibble U(-wibble, wibble), then the
     * diamond points the same way from their 2 corner and 2 centre neighbours, wrapping around the
     * edges (np.roll); then wibble /= decay. Draws are row-major, squares first, then the diamonds on
     * corner rows, then those on centre rows.
     */
    static double[] plasmaFractal(int size, double decay, Rng rng) {
        if (size < 2 || Integer.bitCount(size) != 1) throw new IllegalArgumentException("plasma size must be a power of two, got " + size);
        double[] m = new double[size * size];
        double wibble = 100;
        for (int step = size; step >= 2; step /= 2, wibble /= decay) {
            int half = step / 2, n = size / step;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    int i1 = (i + 1) % n, j1 = (j + 1) % n;
                    double sum = (m[i * step * size + j * step] + m[i1 * step * size + j * step])
                            + (m[i * step * size + j1 * step] + m[i1 * step * size + j1 * step]);
                    m[(i * step + half) * size + j * step + half] = sum / 4 + wibble * (-wibble + 2 * wibble * rng.nextDouble());
                }
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    int i0 = (i + n - 1) % n, j1 = (j + 1) % n;
                    double centres = m[(i * step + half) * size + j * step + half] + m[(i0 * step + half) * size + j * step + half];
                    double corners = m[i * step * size + j * step] + m[i * step * size + j1 * step];
                    m[i * step * size + j * step + half] = (centres + corners) / 4 + wibble * (-wibble + 2 * wibble * rng.nextDouble());
                }
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    int j0 = (j + n - 1) % n, i1 = (i + 1) % n;
                    double centres = m[(i * step + half) * size + j * step + half] + m[(i * step + half) * size + j0 * step + half];
                    double corners = m[i * step * size + j * step] + m[i1 * step * size + j * step];
                    m[(i * step + half) * size + j * step] = (centres + corners) / 4 + wibble * (-wibble + 2 * wibble * rng.nextDouble());
                }
        }
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : m) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (int i = 0; i < m.length; i++) m[i] = (m[i] - min) / (max - min);
        return m;
    }
}
