package org.archrepair.kernels.cpu.ref;

import org.archrepair.kernels.Conv2dSpec;

/**
 * Scalar reference convolution: seven nested loops straight from the definition, double
 * accumulation. Slow on purpose; the fast paths are tested against it.
 */
public final class ConvRef {
    private ConvRef() {
    }

    /** y[n,k,p,q] = sum_{c in group, r, s} x[n, c, p*sh - ph + r*dh, q*sw - pw + s*dw] * w[k, c', r, s] */
    public static void forward(Conv2dSpec s, float[] x, float[] w, float[] y) {
        int cg = s.c() / s.groups(), kg = s.k() / s.groups(), P = s.p(), Q = s.q();
        for (int n = 0; n < s.n(); n++)
            for (int k = 0; k < s.k(); k++) {
                int g = k / kg;
                for (int p = 0; p < P; p++)
                    for (int q = 0; q < Q; q++) {
                        double acc = 0;
                        for (int cc = 0; cc < cg; cc++) {
                            int c = g * cg + cc;
                            for (int r = 0; r < s.r(); r++) {
                                int ih = p * s.strideH() - s.padH() + r * s.dilH();
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int t = 0; t < s.s(); t++) {
                                    int iw = q * s.strideW() - s.padW() + t * s.dilW();
                                    if (iw < 0 || iw >= s.w()) continue;
                                    acc += (double) x[((n * s.c() + c) * s.h() + ih) * s.w() + iw]
                                            * w[((k * cg + cc) * s.r() + r) * s.s() + t];
                                }
                            }
                        }
                        y[((n * s.k() + k) * P + p) * Q + q] = (float) acc;
                    }
            }
    }

    /** dx[n,c,ih,iw] = sum over (k, p, q, r, s) that read x[n,c,ih,iw] of dy[n,k,p,q] * w[k,c',r,s] */
    public static void backwardData(Conv2dSpec s, float[] dy, float[] w, float[] dx) {
        int cg = s.c() / s.groups(), kg = s.k() / s.groups(), P = s.p(), Q = s.q();
        double[] acc = new double[dx.length];
        for (int n = 0; n < s.n(); n++)
            for (int k = 0; k < s.k(); k++) {
                int g = k / kg;
                for (int p = 0; p < P; p++)
                    for (int q = 0; q < Q; q++) {
                        double d = dy[((n * s.k() + k) * P + p) * Q + q];
                        for (int cc = 0; cc < cg; cc++) {
                            int c = g * cg + cc;
                            for (int r = 0; r < s.r(); r++) {
                                int ih = p * s.strideH() - s.padH() + r * s.dilH();
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int t = 0; t < s.s(); t++) {
                                    int iw = q * s.strideW() - s.padW() + t * s.dilW();
                                    if (iw < 0 || iw >= s.w()) continue;
                                    acc[((n * s.c() + c) * s.h() + ih) * s.w() + iw] +=
                                            d * w[((k * cg + cc) * s.r() + r) * s.s() + t];
                                }
                            }
                        }
                    }
            }
        for (int i = 0; i < dx.length; i++) dx[i] = (float) acc[i];
    }

    /** dw[k,c',r,s] = sum_{n,p,q} dy[n,k,p,q] * x[n, c, p*sh - ph + r*dh, q*sw - pw + s*dw] */
    public static void backwardWeight(Conv2dSpec s, float[] x, float[] dy, float[] dw) {
        int cg = s.c() / s.groups(), kg = s.k() / s.groups(), P = s.p(), Q = s.q();
        for (int k = 0; k < s.k(); k++) {
            int g = k / kg;
            for (int cc = 0; cc < cg; cc++) {
                int c = g * cg + cc;
                for (int r = 0; r < s.r(); r++)
                    for (int t = 0; t < s.s(); t++) {
                        double acc = 0;
                        for (int n = 0; n < s.n(); n++)
                            for (int p = 0; p < P; p++) {
                                int ih = p * s.strideH() - s.padH() + r * s.dilH();
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int q = 0; q < Q; q++) {
                                    int iw = q * s.strideW() - s.padW() + t * s.dilW();
                                    if (iw < 0 || iw >= s.w()) continue;
                                    acc += (double) dy[((n * s.k() + k) * P + p) * Q + q]
                                            * x[((n * s.c() + c) * s.h() + ih) * s.w() + iw];
                                }
                            }
                        dw[((k * cg + cc) * s.r() + r) * s.s() + t] = (float) acc;
                    }
            }
        }
    }
}
