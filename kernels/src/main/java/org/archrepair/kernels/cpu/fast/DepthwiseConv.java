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
 * <p>Each input plane is first rearranged into zero-padded {@link PhasePlanes}, so that for every
 * kernel tap the 8 inputs of 8 consecutive outputs are 8 consecutive floats, also for stride 2;
 * the data gradient is accumulated into such planes and unpacked. Phase rows are wider than the
 * output rounded up to 8, so full-vector loads never leave the buffer; partial vectors are masked.
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

    private static PhasePlanes planes(Conv2dSpec s) {
        return new PhasePlanes(s.h(), s.w(), s.padH(), s.padW(), s.strideW(), s.q(), s.s(), s.dilW());
    }

    /** Offset of each tap (r, s) in one plane's phases: (r * s). */
    private static int[] taps(Conv2dSpec s, PhasePlanes ph) {
        int[] tap = new int[s.r() * s.s()];
        for (int r = 0; r < s.r(); r++)
            for (int t = 0; t < s.s(); t++) tap[r * s.s() + t] = ph.tap(r, t, s.dilH(), s.dilW());
        return tap;
    }

    /** y[c] = x[c] (*) w[c] per plane. */
    public static void forward(Parallel par, Conv2dSpec s, float[] x, float[] w, float[] y) {
        PhasePlanes ph = planes(s);
        int[] tap = taps(s, ph);
        int rs = s.r() * s.s(), hw = s.h() * s.w(), p = s.p(), q = s.q(), rowStep = s.strideH() * ph.wq;
        par.forRange(s.n() * s.c(), 1, (lo, hi, scratch) -> {
            float[] buf = scratch.floats(Scratch.PADDED, ph.size());
            for (int plane = lo; plane < hi; plane++) {
                ph.split(x, plane * hw, 1, buf);
                int wOff = (plane % s.c()) * rs, yOff = plane * p * q;
                for (int op = 0; op < p; op++)
                    for (int oq = 0; oq < q; oq += L) {
                        int base = op * rowStep + oq;
                        FloatVector acc = FloatVector.zero(S);
                        for (int t = 0; t < rs; t++)
                            acc = FloatVector.fromArray(S, buf, base + tap[t]).fma(FloatVector.broadcast(S, w[wOff + t]), acc);
                        int d = yOff + op * q + oq;
                        if (oq + L <= q) acc.intoArray(y, d);
                        else acc.intoArray(y, d, S.indexInRange(oq, q));
                    }
            }
        });
    }

    /** dx[c] = scatter of dy[c] through w[c] per plane, accumulated in phase planes. */
    public static void backwardData(Parallel par, Conv2dSpec s, float[] dy, float[] w, float[] dx) {
        PhasePlanes ph = planes(s);
        int[] tap = taps(s, ph);
        int rs = s.r() * s.s(), hw = s.h() * s.w(), p = s.p(), q = s.q(), rowStep = s.strideH() * ph.wq;
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
                                int i = base + tap[t];
                                d.fma(FloatVector.broadcast(S, w[wOff + t]), FloatVector.fromArray(S, buf, i)).intoArray(buf, i);
                            }
                        } else {
                            VectorMask<Float> m = S.indexInRange(oq, q);
                            FloatVector d = FloatVector.fromArray(S, dy, g, m);
                            for (int t = 0; t < rs; t++) {
                                int i = base + tap[t];
                                d.fma(FloatVector.broadcast(S, w[wOff + t]), FloatVector.fromArray(S, buf, i, m)).intoArray(buf, i, m);
                            }
                        }
                    }
                ph.merge(buf, 0, dx, plane * hw);
            }
        });
    }

    /** dw[c][r][s] = sum over images and outputs of dy * x under tap (r, s); one worker per channel. */
    public static void backwardWeight(Parallel par, Conv2dSpec s, float[] x, float[] dy, float[] dw) {
        PhasePlanes ph = planes(s);
        int[] tap = taps(s, ph);
        int rs = s.r() * s.s(), hw = s.h() * s.w(), p = s.p(), q = s.q(), rowStep = s.strideH() * ph.wq;
        par.forRange(s.c(), 1, (lo, hi, scratch) -> {
            float[] buf = scratch.floats(Scratch.PADDED, ph.size());
            double[] acc = new double[rs];
            for (int c = lo; c < hi; c++) {
                Arrays.fill(acc, 0);
                for (int img = 0; img < s.n(); img++) {
                    int plane = img * s.c() + c, dyOff = plane * p * q;
                    ph.split(x, plane * hw, 1, buf);
                    for (int t = 0; t < rs; t++) {
                        // One float vector per image and tap (a few hundred terms per lane), then double.
                        FloatVector sum = FloatVector.zero(S);
                        for (int op = 0; op < p; op++)
                            for (int oq = 0; oq < q; oq += L) {
                                int i = op * rowStep + oq + tap[t], g = dyOff + op * q + oq;
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
