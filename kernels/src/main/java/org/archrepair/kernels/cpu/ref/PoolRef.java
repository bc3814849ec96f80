package org.archrepair.kernels.cpu.ref;

import org.archrepair.kernels.Pool2dSpec;

/** Scalar reference pooling: max (with argmax), average (count_include_pad = false), global average. */
public final class PoolRef {
    private PoolRef() {
    }

    /** y = max over the window (padding is -inf); argmax = ih * w + iw of the first maximum
     * (PyTorch's rule: a later element wins only if strictly greater, or NaN). */
    public static void maxForward(Pool2dSpec s, float[] x, float[] y, int[] argmax) {
        int P = s.p(), Q = s.q(), H = s.h(), W = s.w();
        for (int plane = 0; plane < s.n() * s.c(); plane++) {
            int xb = plane * H * W, yb = plane * P * Q;
            for (int p = 0; p < P; p++)
                for (int q = 0; q < Q; q++) {
                    // PyTorch's rule: start at the first in-image position, replace on v > best or NaN.
                    int h0 = Math.max(p * s.strideH() - s.padH(), 0), w0 = Math.max(q * s.strideW() - s.padW(), 0);
                    float best = Float.NEGATIVE_INFINITY;
                    int arg = h0 * W + w0;
                    for (int r = 0; r < s.kernelH(); r++) {
                        int ih = p * s.strideH() - s.padH() + r;
                        if (ih < 0 || ih >= H) continue;
                        for (int t = 0; t < s.kernelW(); t++) {
                            int iw = q * s.strideW() - s.padW() + t;
                            if (iw < 0 || iw >= W) continue;
                            float v = x[xb + ih * W + iw];
                            if (v > best || Float.isNaN(v)) {
                                best = v;
                                arg = ih * W + iw;
                            }
                        }
                    }
                    y[yb + p * Q + q] = best;
                    argmax[yb + p * Q + q] = arg;
                }
        }
    }

    /** dx[argmax] += dy */
    public static void maxBackward(Pool2dSpec s, float[] dy, int[] argmax, float[] dx) {
        int PQ = s.p() * s.q(), HW = s.h() * s.w();
        java.util.Arrays.fill(dx, 0f);
        for (int plane = 0; plane < s.n() * s.c(); plane++)
            for (int i = 0; i < PQ; i++) dx[plane * HW + argmax[plane * PQ + i]] += dy[plane * PQ + i];
    }

    /** y = sum over the in-image part of the window / its size */
    public static void avgForward(Pool2dSpec s, float[] x, float[] y) {
        int P = s.p(), Q = s.q(), H = s.h(), W = s.w();
        for (int plane = 0; plane < s.n() * s.c(); plane++) {
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
    }

    /** dx[window] += dy / window size */
    public static void avgBackward(Pool2dSpec s, float[] dy, float[] dx) {
        int P = s.p(), Q = s.q(), H = s.h(), W = s.w();
        java.util.Arrays.fill(dx, 0f);
        for (int plane = 0; plane < s.n() * s.c(); plane++) {
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
    }

    public static void globalAvgForward(int n, int c, int hw, float[] x, float[] y) {
        for (int i = 0; i < n * c; i++) {
            double acc = 0;
            for (int j = 0; j < hw; j++) acc += x[i * hw + j];
            y[i] = (float) (acc / hw);
        }
    }

    public static void globalAvgBackward(int n, int c, int hw, float[] dy, float[] dx) {
        for (int i = 0; i < n * c; i++) {
            float g = dy[i] / hw;
            for (int j = 0; j < hw; j++) dx[i * hw + j] = g;
        }
    }
}
