package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import org.archrepair.kernels.Conv2dSpec;

import java.util.Arrays;

/**
 * Direct depthwise convolution (groups == c == k: one r x s filter per channel), any kernel size,
 * stride, padding and dilation, vectorized along the output width.
 *
 * <p>Each input plane is first rearranged into {@code strideW} zero-padded "phase" planes,
 * {@code phase[f][i][t] = x[i - padH][t*strideW + f - padW]}, so that for every kernel tap the 8
 * inputs of 8 consecutive outputs are 8 consecutive floats, also for stride 2; the data gradient
 * is accumulated into such planes and rearranged back. Phase rows are wider than the output
 * rounded up to 8, so full-vector loads never leave the buffer; partial vectors are masked.
 *
 * <p>Parallel over planes (forward, backward data) or channels (backward weight, summing all
 * images of a channel on one worker), so results are bitwise identical for any thread count.
 * What this is not: a grouped or channel-multiplier convolution (those go to {@link ConvFast}).
 * Buffers: x: (n, c, h, w), w: (c, 1, r, s), y: (n, c, p, q).
 */
public final class DepthwiseConv {
    private DepthwiseConv() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;

    /** Geometry of the phase planes and the offset of each kernel tap inside them. */
    private record Phases(int sw, int hp, int wq, int[] tap) {
        static Phases of(Conv2dSpec s) {
            int sw = s.strideW(), hp = s.h() + 2 * s.padH();
            int maxShift = (s.s() - 1) * s.dilW() / sw;
            int wq = (s.q() + L - 1) / L * L + maxShift;
            int[] tap = new int[s.r() * s.s()];
            for (int r = 0; r < s.r(); r++)
                for (int t = 0; t < s.s(); t++) {
                    int col = t * s.dilW();
                    tap[r * s.s() + t] = ((col % sw) * hp + r * s.dilH()) * wq + col / sw;
                }
            return new Phases(sw, hp, wq, tap);
        }

        int size() {
            return sw * hp * wq;
        }

        /** dst = phase planes of the plane x[xOff]: (h, w). */
        void split(Conv2dSpec s, float[] x, int xOff, float[] dst) {
            Arrays.fill(dst, 0, size(), 0f);
            int w = s.w(), pw = s.padW();
            for (int f = 0; f < sw; f++) {
                int tLo = Math.max(0, -Math.floorDiv(f - pw, sw)), tHi = Math.min(wq - 1, Math.floorDiv(w - 1 + pw - f, sw));
                for (int i = 0; i < s.h(); i++) {
                    int d = (f * hp + i + s.padH()) * wq, src = xOff + i * w + f - pw;
                    if (sw == 1) System.arraycopy(x, src + tLo, dst, d + tLo, tHi - tLo + 1);
                    else for (int t = tLo; t <= tHi; t++) dst[d + t] = x[src + t * sw];
                }
            }
        }

        /** dx plane at dxOff: (h, w) = the in-image part of the phase planes. */
        void merge(Conv2dSpec s, float[] src, float[] dx, int dxOff) {
            int w = s.w(), pw = s.padW();
            for (int i = 0; i < s.h(); i++)
                for (int j = 0; j < w; j++) {
                    int col = j + pw;
                    dx[dxOff + i * w + j] = src[((col % sw) * hp + i + s.padH()) * wq + col / sw];
                }
        }
    }

    /** y[c] = x[c] (*) w[c] per plane. */
    public static void forward(Parallel par, Conv2dSpec s, float[] x, float[] w, float[] y) {
        Phases ph = Phases.of(s);
        int rs = s.r() * s.s(), hw = s.h() * s.w(), p = s.p(), q = s.q(), rowStep = s.strideH() * ph.wq();
        par.forRange(s.n() * s.c(), 1, (lo, hi, scratch) -> {
            float[] buf = scratch.floats(Scratch.PADDED, ph.size());
            for (int plane = lo; plane < hi; plane++) {
                ph.split(s, x, plane * hw, buf);
                int wOff = (plane % s.c()) * rs, yOff = plane * p * q;
                for (int op = 0; op < p; op++)
                    for (int oq = 0; oq < q; oq += L) {
                        int base = op * rowStep + oq;
                        FloatVector acc = FloatVector.zero(S);
                        for (int t = 0; t < rs; t++)
                            acc = FloatVector.fromArray(S, buf, base + ph.tap()[t]).fma(FloatVector.broadcast(S, w[wOff + t]), acc);
                        int d = yOff + op * q + oq;
                        if (oq + L <= q) acc.intoArray(y, d);
                        else acc.intoArray(y, d, S.indexInRange(oq, q));
                    }
            }
        });
    }

    /** dx[c] = scatter of dy[c] through w[c] per plane, accumulated in phase planes. */
    public static void backwardData(Parallel par, Conv2dSpec s, float[] dy, float[] w, float[] dx) {
        Phases ph = Phases.of(s);
        int rs = s.r() * s.s(), hw = s.h() * s.w(), p = s.p(), q = s.q(), rowStep = s.strideH() * ph.wq();
        par.forRange(s.n() * s.c(), 1, (lo, hi, scratch) -> {
            float[] buf = scratch.floats(Scratch.PADDED, ph.size());
            for (int plane = lo; plane < hi; plane++) {
                Arrays.fill(buf, 0, ph.size(), 0f);
                int wOff = (plane % s.c()) * rs, dyOff = plane * p * q;
                for (int op = 0; op < p; op++)
                    for (int oq = 0; oq < q; oq += L) {
                        int base = op * rowStep + oq, g = dyOff + op * q + oq;
                        if (oq + L <= q) {
                            FloatVector d = FloatVector.fromArray(S, dy, g);
                            for (int t = 0; t < rs; t++) {
                                int i = base + ph.tap()[t];
                                d.fma(FloatVector.broadcast(S, w[wOff + t]), FloatVector.fromArray(S, buf, i)).intoArray(buf, i);
                            }
                        } else {
                            VectorMask<Float> m = S.indexInRange(oq, q);
                            FloatVector d = FloatVector.fromArray(S, dy, g, m);
                            for (int t = 0; t < rs; t++) {
                                int i = base + ph.tap()[t];
                                d.fma(FloatVector.broadcast(S, w[wOff + t]), FloatVector.fromArray(S, buf, i, m)).intoArray(buf, i, m);
                            }
                        }
                    }
                ph.merge(s, buf, dx, plane * hw);
            }
        });
    }

    /** dw[c][r][s] = sum over images and outputs of dy * x under tap (r, s); one worker per channel. */
    public static void backwardWeight(Parallel par, Conv2dSpec s, float[] x, float[] dy, float[] dw) {
        Phases ph = Phases.of(s);
        int rs = s.r() * s.s(), hw = s.h() * s.w(), p = s.p(), q = s.q(), rowStep = s.strideH() * ph.wq();
        par.forRange(s.c(), 1, (lo, hi, scratch) -> {
            float[] buf = scratch.floats(Scratch.PADDED, ph.size());
            double[] acc = new double[rs];
            for (int c = lo; c < hi; c++) {
                Arrays.fill(acc, 0);
                for (int img = 0; img < s.n(); img++) {
                    int plane = img * s.c() + c, dyOff = plane * p * q;
                    ph.split(s, x, plane * hw, buf);
                    for (int t = 0; t < rs; t++) {
                        // One float vector per image and tap (a few hundred terms per lane), then double.
                        FloatVector sum = FloatVector.zero(S);
                        for (int op = 0; op < p; op++)
                            for (int oq = 0; oq < q; oq += L) {
                                int i = op * rowStep + oq + ph.tap()[t], g = dyOff + op * q + oq;
                                if (oq + L <= q) {
                                    sum = FloatVector.fromArray(S, dy, g).fma(FloatVector.fromArray(S, buf, i), sum);
                                } else {
                                    VectorMask<Float> m = S.indexInRange(oq, q);
                                    sum = FloatVector.fromArray(S, dy, g, m).fma(FloatVector.fromArray(S, buf, i, m), sum);
                                }
                            }
                        acc[t] += Sums.lanes(sum);
                    }
                }
                for (int t = 0; t < rs; t++) dw[c * rs + t] = (float) acc[t];
            }
        });
    }
}
