package org.archrepair.repair.corrupt;

/**
 * The reference's {@code clipped_zoom} of an n x n plane by a factor z >= 1: crop the centre ch x ch
 * (ch = ceil(n / z), top = (n - ch) // 2), zoom it with scipy's order-1 {@code zoom} to
 * round(ch z) (half to even, as Python rounds; corner-aligned: input = output (ch - 1) / (size - 1)),
 * and keep the centre n x n (from (size - n) // 2). Linear interpolation is separable, so a zoom
 * is two tables of source indices and weights, computed once per factor.
 */
final class Zoom {
    private final int n;
    private final int[] lo, hi;    // (n): source index of each output index, and of its right/lower neighbour
    private final double[] t;      // (n): weight of hi

    private Zoom(int n, int[] lo, int[] hi, double[] t) {
        this.n = n;
        this.lo = lo;
        this.hi = hi;
        this.t = t;
    }

    static Zoom of(int n, double z) {
        int ch = (int) Math.ceil(n / z), top = (n - ch) / 2;
        int size = (int) Math.rint(ch * z), trim = (size - n) / 2;
        double ratio = size > 1 ? (ch - 1) / (double) (size - 1) : 0;
        int[] lo = new int[n], hi = new int[n];
        double[] t = new double[n];
        for (int o = 0; o < n; o++) {
            double c = (o + trim) * ratio;
            int i = (int) Math.floor(c);
            if (i >= ch - 1) {
                lo[o] = hi[o] = top + ch - 1;
            } else {
                lo[o] = top + i;
                hi[o] = top + i + 1;
                t[o] = c - i;
            }
        }
        return new Zoom(n, lo, hi, t);
    }

    /** dst += zoomed src (one n x n plane each, at offsets), or dst = zoomed src when accumulate is false. */
    void apply(double[] src, int offset, double[] dst, int dstOffset, boolean accumulate, double[] tmp) {
        for (int y = 0; y < n; y++) {
            int row = offset + y * n;
            for (int x = 0; x < n; x++) tmp[y * n + x] = (1 - t[x]) * src[row + lo[x]] + t[x] * src[row + hi[x]];
        }
        for (int y = 0; y < n; y++) {
            int a = lo[y] * n, b = hi[y] * n, d = dstOffset + y * n;
            double ty = t[y];
            for (int x = 0; x < n; x++) {
                double v = (1 - ty) * tmp[a + x] + ty * tmp[b + x];
                dst[d + x] = accumulate ? dst[d + x] + v : v;
            }
        }
    }
}
