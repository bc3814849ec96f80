package org.archrepair.repair.corrupt;

/**
 * The image filters the corruptions share, written as the reference's libraries compute them:
 * scipy's separable Gaussian ({@code gaussian_filter}, which skimage's {@code gaussian} calls:
 * kernel radius int(truncate * sigma + 0.5), weights exp(-x^2 / (2 sigma^2)) normalized, axis 0
 * then axis 1) and OpenCV's {@code filter2D} (correlation, anchor at the kernel centre). All work
 * on one H x W plane of doubles at an offset in a larger (C, H, W) array.
 */
final class Filters {
    private Filters() {
    }

    /** How an index outside 0..n-1 is brought back in. */
    enum Boundary {
        /** clamp: a a a | a b c d | d d d (scipy 'nearest'). */
        NEAREST,
        /** half-sample symmetric: d c b a | a b c d | d c b a (scipy 'reflect'). */
        REFLECT,
        /** whole-sample symmetric: d c b | a b c d | c b a (OpenCV BORDER_REFLECT_101, scipy 'mirror'). */
        REFLECT_101;

        int index(int i, int n) {
            if (i >= 0 && i < n) return i;
            return switch (this) {
                case NEAREST -> i < 0 ? 0 : n - 1;
                case REFLECT -> {
                    int m = Math.floorMod(i, 2 * n);
                    yield m < n ? m : 2 * n - 1 - m;
                }
                case REFLECT_101 -> {
                    if (n == 1) yield 0;
                    int m = Math.floorMod(i, 2 * n - 2);
                    yield m < n ? m : 2 * n - 2 - m;
                }
            };
        }
    }

    /** scipy's 1-D Gaussian: 2r + 1 weights, r = int(truncate * sigma + 0.5); {1} for sigma ~ 0 (scipy skips the axis). */
    static double[] gaussianKernel(double sigma, double truncate) {
        if (sigma < 1e-15) return new double[]{1};
        int r = (int) (truncate * sigma + 0.5);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-0.5 / (sigma * sigma) * i * i);
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        return k;
    }

    /**
     * Separable filtering of a plane with one symmetric 1-D kernel: along y (axis 0), then along x
     * (axis 1). The boundary is resolved once into a table of source indices per tap.
     */
    static void separable(double[] src, int offset, int h, int w, double[] k, Boundary b, double[] dst, int dstOffset) {
        int r = k.length / 2;
        int[][] rows = indexTable(h, r, b), cols = indexTable(w, r, b);
        double[] tmp = new double[h * w];
        for (int y = 0; y < h; y++)
            for (int j = 0; j < k.length; j++) {
                int from = offset + rows[j][y] * w, to = y * w;
                double kj = k[j];
                for (int x = 0; x < w; x++) tmp[to + x] += kj * src[from + x];
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int j = 0; j < k.length; j++) s += k[j] * tmp[y * w + cols[j][x]];
                dst[dstOffset + y * w + x] = s;
            }
    }

    /** table[j][i] = the index tap j (offset j - r) of position i reads, brought into 0..n-1. */
    static int[][] indexTable(int n, int r, Boundary b) {
        int[][] t = new int[2 * r + 1][n];
        for (int j = 0; j <= 2 * r; j++)
            for (int i = 0; i < n; i++) t[j][i] = b.index(i + j - r, n);
        return t;
    }

    /** A Gaussian of every plane of a (C, H, W) array (skimage's multichannel gaussian: no mixing across channels). */
    static double[] gaussianPlanes(double[] x, int c, int h, int w, double sigma, double truncate, Boundary b) {
        double[] k = gaussianKernel(sigma, truncate), out = new double[x.length];
        for (int ch = 0; ch < c; ch++) separable(x, ch * h * w, h, w, k, b, out, ch * h * w);
        return out;
    }

    /**
     * 2-D correlation (OpenCV filter2D): dst(y, x) = sum k(i, j) src(y + i - ay, x + j - ax) over the
     * kh x kw kernel, (ay, ax) the anchor.
     */
    static void correlate(double[] src, int offset, int h, int w, double[] k, int kh, int kw, int ay, int ax,
                          Boundary b, double[] dst, int dstOffset) {
        int[][] rows = new int[kh][h], cols = new int[kw][w];
        for (int i = 0; i < kh; i++) for (int y = 0; y < h; y++) rows[i][y] = b.index(y + i - ay, h);
        for (int j = 0; j < kw; j++) for (int x = 0; x < w; x++) cols[j][x] = b.index(x + j - ax, w);
        for (int y = 0; y < h; y++) {
            int to = dstOffset + y * w;
            java.util.Arrays.fill(dst, to, to + w, 0);
            for (int i = 0; i < kh; i++) {
                int row = offset + rows[i][y] * w;
                for (int j = 0; j < kw; j++) {
                    double kij = k[i * kw + j];
                    if (kij == 0) continue;
                    int[] cj = cols[j];
                    for (int x = 0; x < w; x++) dst[to + x] += kij * src[row + cj[x]];
                }
            }
        }
    }
}
