package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import org.archrepair.kernels.Pool2dSpec;

import java.util.Arrays;

import static org.archrepair.kernels.cpu.fast.Lanes.D;
import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.HALF;
import static org.archrepair.kernels.cpu.fast.Lanes.I;
import static org.archrepair.kernels.cpu.fast.Lanes.L;

/**
 * Max, average and global-average pooling, parallel over (image, channel) planes, each plane
 * rearranged into padded {@link PhasePlanes} so that the window taps of L ({@link Lanes#L})
 * consecutive outputs are consecutive floats, any stride. Every result is bitwise the reference's:
 * <ul>
 *   <li>max: padding is -infinity (never wins), taps in row-major order, a lane takes a tap when
 *       {@code v > best || isNaN(v)}, exactly the reference's rule (ties to the first maximum, NaN
 *       wins); the argmax lanes move with it;
 *   <li>average: a double sum per lane (a float vector as two double vectors) over the taps in
 *       row-major order (padding adds +0.0, which changes nothing), divided by the in-image count,
 *       as the reference;
 *   <li>average backward: stride 1 as a gather over a padded plane of dy / count, strides > 1 as
 *       a scatter of L outputs at a time with the taps of a row from right to left; either way
 *       each input receives its contributions in the reference's (p, q) order.
 * </ul>
 * Max backward (a data-dependent scatter) and global average stay scalar per plane.
 *
 * <p>What this is not: a fused pooling/ReLU. Buffers: x, dx: (n, c, h, w); y, dy, argmax: (n, c, p, q).
 */
public final class PoolFast {
    private PoolFast() {
    }

    private static PhasePlanes planes(Pool2dSpec s) {
        return new PhasePlanes(s.h(), s.w(), s.padH(), s.padW(), s.strideW(), s.q(), s.kernelW(), 1);
    }

    /** Offsets of the window taps (r, t) in a plane's phases, row-major: (kernelH * kernelW). Computed
     * once, as tap() divides. */
    private static int[] taps(Pool2dSpec s, PhasePlanes ph) {
        int[] tap = new int[s.kernelH() * s.kernelW()];
        for (int r = 0; r < s.kernelH(); r++)
            for (int t = 0; t < s.kernelW(); t++) tap[r * s.kernelW() + t] = ph.tap(r, t, 1, 1);
        return tap;
    }

    /** Planes per part at least, so that tiny pools stay on one thread. */
    private static int grain(int planeSize) {
        return Math.max(1, ElementwiseFast.GRAIN / Math.max(1, planeSize));
    }

    /** y = window max, argmax = h_in * w + w_in of the first maximum (later ones win only if greater, or NaN). */
    public static void maxForward(Parallel par, Pool2dSpec s, float[] x, float[] y, int[] argmax) {
        int P = s.p(), Q = s.q(), H = s.h(), W = s.w(), kh = s.kernelH(), kw = s.kernelW(), sw = s.strideW();
        PhasePlanes ph = planes(s);
        int[] tap = taps(s, ph);
        int rowStep = s.strideH() * ph.wq;
        IntVector lanes = IntVector.zero(I).addIndex(sw);                   // lane * strideW
        par.forRange(s.n() * s.c(), grain(H * W), (lo, hi, scratch) -> {
            float[] buf = scratch.floats(Scratch.PADDED, ph.size());
            ph.pad(buf, 1, Float.NEGATIVE_INFINITY);
            for (int plane = lo; plane < hi; plane++) {
                ph.copy(x, plane * H * W, 1, buf);
                int yb = plane * P * Q;
                for (int p = 0; p < P; p++) {
                    int top = p * s.strideH() - s.padH();
                    for (int q = 0; q < Q; q += L) {
                        IntVector iw0 = lanes.add(q * sw - s.padW());                 // first window column per lane
                        FloatVector best = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
                        IntVector arg = iw0.max(0).add(Math.max(top, 0) * W);        // first in-image position
                        for (int r = 0; r < kh; r++)
                            for (int t = 0; t < kw; t++) {
                                FloatVector v = FloatVector.fromArray(F, buf, tap[r * kw + t] + p * rowStep + q);
                                VectorMask<Float> wins = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                                best = best.blend(v, wins);
                                arg = arg.blend(iw0.add((top + r) * W + t), wins.cast(I));
                            }
                        int d = yb + p * Q + q;
                        if (q + L <= Q) {
                            best.intoArray(y, d);
                            arg.intoArray(argmax, d);
                        } else {
                            best.intoArray(y, d, F.indexInRange(q, Q));
                            arg.intoArray(argmax, d, I.indexInRange(q, Q));
                        }
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

    /** y = mean over the in-image part of each window: double sums per lane, as the reference's double sum. */
    public static void avgForward(Parallel par, Pool2dSpec s, float[] x, float[] y) {
        int P = s.p(), Q = s.q(), H = s.h(), W = s.w(), kh = s.kernelH(), kw = s.kernelW();
        PhasePlanes ph = planes(s);
        int[] tap = taps(s, ph);
        int rowStep = s.strideH() * ph.wq;
        par.forRange(s.n() * s.c(), grain(H * W), (lo, hi, scratch) -> {
            float[] buf = scratch.floats(Scratch.PADDED, ph.size());
            double[] count = new double[Q + L];
            ph.pad(buf, 1, 0f);
            for (int plane = lo; plane < hi; plane++) {
                ph.copy(x, plane * H * W, 1, buf);
                int yb = plane * P * Q;
                for (int p = 0; p < P; p++) {
                    int h0 = Math.max(p * s.strideH() - s.padH(), 0), h1 = Math.min(p * s.strideH() - s.padH() + kh, H);
                    for (int q = 0; q < Q; q++) count[q] = (h1 - h0) * windowWidth(s, q);
                    for (int q = 0; q < Q; q += L) {
                        DoubleVector sumLo = DoubleVector.zero(D), sumHi = DoubleVector.zero(D);
                        for (int r = 0; r < kh; r++)
                            for (int t = 0; t < kw; t++) {
                                FloatVector v = FloatVector.fromArray(F, buf, tap[r * kw + t] + p * rowStep + q);
                                sumLo = sumLo.add(v.convertShape(VectorOperators.F2D, D, 0));
                                sumHi = sumHi.add(v.convertShape(VectorOperators.F2D, D, 1));
                            }
                        FloatVector mean = (FloatVector) sumLo.div(DoubleVector.fromArray(D, count, q))
                                .convertShape(VectorOperators.D2F, F, 0);
                        mean = mean.blend(sumHi.div(DoubleVector.fromArray(D, count, q + HALF))
                                .convertShape(VectorOperators.D2F, F, -1), F.indexInRange(-HALF, HALF));
                        int d = yb + p * Q + q;
                        if (q + L <= Q) mean.intoArray(y, d);
                        else mean.intoArray(y, d, F.indexInRange(q, Q));
                    }
                }
            }
        });
    }

    /** In-image columns of the window of output column q. */
    private static int windowWidth(Pool2dSpec s, int q) {
        int left = q * s.strideW() - s.padW();
        return Math.min(left + s.kernelW(), s.w()) - Math.max(left, 0);
    }

    /** dx = 0, then each window += dy / its in-image size, each input in the reference's (p, q) order. */
    public static void avgBackward(Parallel par, Pool2dSpec s, float[] dy, float[] dx) {
        if (s.strideH() == 1 && s.strideW() == 1) avgBackwardStride1(par, s, dy, dx);
        else avgBackwardScatter(par, s, dy, dx);
    }

    /**
     * Stride 1 as a gather: with g = dy / count in a zero-padded plane G (kh - 1 - padH rows and
     * kw - 1 - padW columns of zeros around it), {@code dx[i][j] = sum_{a, b} G[i + a][j + b]} over
     * the kh x kw offsets in row-major order, which is the reference's (p, q) order, accumulated in
     * registers and stored once.
     */
    private static void avgBackwardStride1(Parallel par, Pool2dSpec s, float[] dy, float[] dx) {
        int P = s.p(), Q = s.q(), H = s.h(), W = s.w(), kh = s.kernelH(), kw = s.kernelW();
        int padR = kh - 1 - s.padH(), padC = kw - 1 - s.padW(), gw = Lanes.roundUp(W, L) + kw - 1, gh = H + kh - 1;
        par.forRange(s.n() * s.c(), grain(H * W), (lo, hi, scratch) -> {
            float[] g = scratch.floats(Scratch.PADDED, gh * gw);
            int[] width = new int[Q];
            for (int q = 0; q < Q; q++) width[q] = windowWidth(s, q);
            for (int plane = lo; plane < hi; plane++) {
                Arrays.fill(g, 0, gh * gw, 0f);
                for (int p = 0; p < P; p++) {
                    int h0 = Math.max(p - s.padH(), 0), h1 = Math.min(p - s.padH() + kh, H), row = (p + padR) * gw + padC;
                    for (int q = 0; q < Q; q++) g[row + q] = dy[(plane * P + p) * Q + q] / ((h1 - h0) * width[q]);
                }
                for (int i = 0; i < H; i++)
                    for (int j = 0; j < W; j += L) {
                        FloatVector acc = FloatVector.zero(F);
                        for (int a = 0; a < kh; a++)
                            for (int b = 0; b < kw; b++) acc = acc.add(FloatVector.fromArray(F, g, (i + a) * gw + j + b));
                        int d = plane * H * W + i * W + j;
                        if (j + L <= W) acc.intoArray(dx, d);
                        else acc.intoArray(dx, d, F.indexInRange(j, W));
                    }
            }
        });
    }

    /** Strides > 1: scatter into phase planes, L outputs at a time, taps right to left. */
    private static void avgBackwardScatter(Parallel par, Pool2dSpec s, float[] dy, float[] dx) {
        int P = s.p(), Q = s.q(), H = s.h(), W = s.w(), kh = s.kernelH(), kw = s.kernelW();
        PhasePlanes ph = planes(s);
        int[] tap = taps(s, ph);
        int rowStep = s.strideH() * ph.wq;
        par.forRange(s.n() * s.c(), grain(H * W), (lo, hi, scratch) -> {
            float[] buf = scratch.floats(Scratch.PADDED, ph.size());
            float[] count = new float[Q + L];
            for (int plane = lo; plane < hi; plane++) {
                Arrays.fill(buf, 0, ph.size(), 0f);
                int yb = plane * P * Q;
                for (int p = 0; p < P; p++) {
                    int h0 = Math.max(p * s.strideH() - s.padH(), 0), h1 = Math.min(p * s.strideH() - s.padH() + kh, H);
                    for (int q = 0; q < Q; q++) count[q] = (h1 - h0) * windowWidth(s, q);
                    for (int q = 0; q < Q; q += L) {
                        boolean full = q + L <= Q;           // masked stores are slow on AMD: only for the tail
                        VectorMask<Float> live = F.indexInRange(q, Q);
                        FloatVector g = full ? FloatVector.fromArray(F, dy, yb + p * Q + q).div(FloatVector.fromArray(F, count, q))
                                : FloatVector.fromArray(F, dy, yb + p * Q + q, live).div(FloatVector.fromArray(F, count, q, live), live);
                        for (int r = 0; r < kh; r++)
                            for (int t = kw - 1; t >= 0; t--) {      // right to left: inputs see q ascending
                                int i = tap[r * kw + t] + p * rowStep + q;
                                if (full) FloatVector.fromArray(F, buf, i).add(g).intoArray(buf, i);
                                else FloatVector.fromArray(F, buf, i, live).add(g).intoArray(buf, i, live);
                            }
                    }
                }
                ph.merge(buf, 0, dx, plane * H * W);
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
