package org.archrepair.kernels.cpu.fast;

import org.archrepair.kernels.Pool2dSpec;

import java.util.Arrays;

/**
 * Max, average and global-average pooling, parallel over (image, channel) planes. Within a plane
 * the loops are the reference's, in the same order, with window bounds clipped once per output
 * instead of tested per tap, so every result (argmax ties to the first maximum, NaN wins, average
 * with count_include_pad = false, the float accumulation order of the backward scatters) is
 * bitwise the reference's. Global average sums with {@link Sums} (double across blocks).
 *
 * <p>What this is not: vectorized; pooling is a small share of a ResNet/DARTS step next to the
 * convolutions. Buffers: x, dx: (n, c, h, w); y, dy, argmax: (n, c, p, q).
 */
public final class PoolFast {
    private PoolFast() {
    }

    /** Planes per part at least, so that tiny pools stay on one thread. */
    private static int grain(int planeSize) {
        return Math.max(1, ElementwiseFast.GRAIN / Math.max(1, planeSize));
    }

    /** y = window max, argmax = h_in * w + w_in of the first maximum (later ones win only if greater, or NaN). */
    public static void maxForward(Parallel par, Pool2dSpec s, float[] x, float[] y, int[] argmax) {
        int P = s.p(), Q = s.q(), H = s.h(), W = s.w();
        par.forRange(s.n() * s.c(), grain(H * W), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int xb = plane * H * W, yb = plane * P * Q;
                for (int p = 0; p < P; p++) {
                    int h0 = Math.max(p * s.strideH() - s.padH(), 0), h1 = Math.min(p * s.strideH() - s.padH() + s.kernelH(), H);
                    for (int q = 0; q < Q; q++) {
                        int w0 = Math.max(q * s.strideW() - s.padW(), 0), w1 = Math.min(q * s.strideW() - s.padW() + s.kernelW(), W);
                        float best = Float.NEGATIVE_INFINITY;
                        int arg = h0 * W + w0;
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++) {
                                float v = x[xb + ih * W + iw];
                                if (v > best || Float.isNaN(v)) {
                                    best = v;
                                    arg = ih * W + iw;
                                }
                            }
                        y[yb + p * Q + q] = best;
                        argmax[yb + p * Q + q] = arg;
                    }
                }
            }
        });
    }

    /**
     * dx = 0, then dx[argmax] += dy in output order. An argmax outside its plane fails (in parallel it
     * would race with another worker's plane).
     */
    public static void maxBackward(Parallel par, Pool2dSpec s, float[] dy, int[] argmax, float[] dx) {
        int PQ = s.p() * s.q(), HW = s.h() * s.w();
        par.forRange(s.n() * s.c(), grain(HW), (lo, hi) -> {
            Arrays.fill(dx, lo * HW, hi * HW, 0f);
            for (int plane = lo; plane < hi; plane++)
                for (int i = 0; i < PQ; i++) {
                    int a = argmax[plane * PQ + i];
                    if (a < 0 || a >= HW)
                        throw new IllegalArgumentException("argmax " + a + " at " + (plane * PQ + i)
                                + " is outside its " + s.h() + "x" + s.w() + " plane");
                    dx[plane * HW + a] += dy[plane * PQ + i];
                }
        });
    }

    /** y = mean over the in-image part of each window (double sum, as the reference). */
    public static void avgForward(Parallel par, Pool2dSpec s, float[] x, float[] y) {
        int P = s.p(), Q = s.q(), H = s.h(), W = s.w();
        par.forRange(s.n() * s.c(), grain(H * W), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int xb = plane * H * W, yb = plane * P * Q;
                for (int p = 0; p < P; p++) {
                    int h0 = Math.max(p * s.strideH() - s.padH(), 0), h1 = Math.min(p * s.strideH() - s.padH() + s.kernelH(), H);
                    for (int q = 0; q < Q; q++) {
                        int w0 = Math.max(q * s.strideW() - s.padW(), 0), w1 = Math.min(q * s.strideW() - s.padW() + s.kernelW(), W);
                        double acc = 0;
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++) acc += x[xb + ih * W + iw];
                        y[yb + p * Q + q] = (float) (acc / ((h1 - h0) * (w1 - w0)));
                    }
                }
            }
        });
    }

    /** dx = 0, then each window += dy / its in-image size, in output order. */
    public static void avgBackward(Parallel par, Pool2dSpec s, float[] dy, float[] dx) {
        int P = s.p(), Q = s.q(), H = s.h(), W = s.w();
        par.forRange(s.n() * s.c(), grain(H * W), (lo, hi) -> {
            Arrays.fill(dx, lo * H * W, hi * H * W, 0f);
            for (int plane = lo; plane < hi; plane++) {
                int xb = plane * H * W, yb = plane * P * Q;
                for (int p = 0; p < P; p++) {
                    int h0 = Math.max(p * s.strideH() - s.padH(), 0), h1 = Math.min(p * s.strideH() - s.padH() + s.kernelH(), H);
                    for (int q = 0; q < Q; q++) {
                        int w0 = Math.max(q * s.strideW() - s.padW(), 0), w1 = Math.min(q * s.strideW() - s.padW() + s.kernelW(), W);
                        float g = dy[yb + p * Q + q] / ((h1 - h0) * (w1 - w0));
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++) dx[xb + ih * W + iw] += g;
                    }
                }
            }
        });
    }

    /** y[plane] = mean of x[plane]. x: (n, c, hw), y: (n, c). */
    public static void globalAvgForward(Parallel par, int n, int c, int hw, float[] x, float[] y) {
        par.forRange(n * c, grain(hw), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) y[plane] = (float) (Sums.sum(x, plane * hw, hw) / hw);
        });
    }

    /** dx[plane][i] = dy[plane] / hw. */
    public static void globalAvgBackward(Parallel par, int n, int c, int hw, float[] dy, float[] dx) {
        par.forRange(n * c, grain(hw), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) Arrays.fill(dx, plane * hw, (plane + 1) * hw, dy[plane] / hw);
        });
    }
}
