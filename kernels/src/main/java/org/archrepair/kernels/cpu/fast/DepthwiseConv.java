package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import org.archrepair.kernels.Conv2dSpec;

import java.util.Arrays;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;

/**
 * Direct depthwise convolution (groups == c == k: one r x s filter per channel), any kernel size,
 * stride, padding and dilation, vectorized along the output width.
 *
 * <p>Each input plane is first rearranged into zero-padded {@link PhasePlanes}, so that for every
 * kernel tap the inputs of L consecutive outputs ({@link Lanes#L}) are L consecutive floats, also for stride 2;
 * the data gradient is accumulated into such planes and unpacked. Phase rows are wider than the
 * output rounded up to L, so full-vector loads never leave the buffer; partial vectors are masked.
 *
 * <p>Parallel over planes (forward, backward data) or channels (backward weight, summing all
 * images of a channel on one worker), so results are bitwise identical for any thread count.
 * What this is not: a grouped or channel-multiplier convolution (those go to {@link ConvFast}).
 * Buffers: x: (n, c, h, w), w: (c, 1, r, s), y: (n, c, p, q).
 */
public final class DepthwiseConv {
    private DepthwiseConv() {
    }

    /** Offset of each tap (r, s) in one plane's phases: (r * s). */
    private static int[] taps(Conv2dSpec s, PhasePlanes ph) {
        int[] tap = new int[s.r() * s.s()];
        for (int r = 0; r < s.r(); r++)
            for (int t = 0; t < s.s(); t++) tap[r * s.s() + t] = ph.tap(r, t, s.dilH(), s.dilW());
        return tap;
    }

    /**
     * y[c] = x[c] (*) w[c] per plane, four output vectors at a time: four independent FMA chains,
     * since one chain over the taps would wait on the FMA latency at every tap.
     */
    public static void forward(Parallel par, Conv2dSpec s, float[] x, float[] w, float[] y) {
        PhasePlanes ph = PhasePlanes.of(s);
        int[] tap = taps(s, ph);
        int rs = s.r() * s.s(), hw = s.h() * s.w(), p = s.p(), q = s.q(), rowStep = s.strideH() * ph.wq;
        int perRow = (q + L - 1) / L, vectors = p * perRow;                  // output vectors of a plane
        par.forRange(s.n() * s.c(), 1, (lo, hi, scratch) -> {
            float[] buf = scratch.floats(Scratch.PADDED, ph.size());
            ph.pad(buf, 1, 0f);
            for (int plane = lo; plane < hi; plane++) {
                ph.copy(x, plane * hw, 1, buf);
                int wOff = (plane % s.c()) * rs, yOff = plane * p * q;
                for (int v = 0; v < vectors; v += 4) {
                    // a group past the end repeats its last vector (computed twice, stored once)
                    int v1 = Math.min(v + 1, vectors - 1), v2 = Math.min(v + 2, vectors - 1), v3 = Math.min(v + 3, vectors - 1);
                    int b0 = base(v, perRow, rowStep), b1 = base(v1, perRow, rowStep);
                    int b2 = base(v2, perRow, rowStep), b3 = base(v3, perRow, rowStep);
                    FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                    for (int t = 0; t < rs; t++) {
                        FloatVector wt = FloatVector.broadcast(F, w[wOff + t]);
                        int o = tap[t];
                        a0 = FloatVector.fromArray(F, buf, b0 + o).fma(wt, a0);
                        a1 = FloatVector.fromArray(F, buf, b1 + o).fma(wt, a1);
                        a2 = FloatVector.fromArray(F, buf, b2 + o).fma(wt, a2);
                        a3 = FloatVector.fromArray(F, buf, b3 + o).fma(wt, a3);
                    }
                    store(a0, v, perRow, q, y, yOff);
                    if (v + 1 < vectors) store(a1, v1, perRow, q, y, yOff);
                    if (v + 2 < vectors) store(a2, v2, perRow, q, y, yOff);
                    if (v + 3 < vectors) store(a3, v3, perRow, q, y, yOff);
                }
            }
        });
    }

    /** Where output vector v (row v / perRow, columns L (v % perRow) ...) reads the phase planes. */
    private static int base(int v, int perRow, int rowStep) {
        return (v / perRow) * rowStep + (v % perRow) * L;
    }

    /** Stores output vector v of a plane at y[yOff]: (p, q); the last vector of a row may be partial. */
    private static void store(FloatVector a, int v, int perRow, int q, float[] y, int yOff) {
        int op = v / perRow, oq = (v % perRow) * L, d = yOff + op * q + oq;
        if (oq + L <= q) a.intoArray(y, d);
        else a.intoArray(y, d, F.indexInRange(oq, q));
    }

    /**
     * dx[c] = dy[c] transposed-convolved with w[c]. Stride 1: the forward kernel on dy with the
     * flipped filter and padding dil (r - 1) - pad (a gather: every dx vector accumulates in
     * registers). Otherwise a scatter of dy through w into phase planes of dx.
     */
    public static void backwardData(Parallel par, Conv2dSpec s, float[] dy, float[] w, float[] dx) {
        int padH = s.dilH() * (s.r() - 1) - s.padH(), padW = s.dilW() * (s.s() - 1) - s.padW();
        if (s.strideH() == 1 && s.strideW() == 1 && padH >= 0 && padW >= 0) {
            Conv2dSpec t = new Conv2dSpec(s.n(), s.c(), s.p(), s.q(), s.c(), s.r(), s.s(), 1, 1, padH, padW,
                    s.dilH(), s.dilW(), s.c());
            int rs = s.r() * s.s();
            float[] flipped = new float[w.length];
            for (int c = 0; c < s.c(); c++)
                for (int i = 0; i < rs; i++) flipped[c * rs + i] = w[c * rs + rs - 1 - i];
            forward(par, t, dy, flipped, dx);
        } else {
            scatter(par, s, dy, w, dx);
        }
    }

    /** Backward data by scatter-adding dy through the taps into phase planes of dx (loads overlap stores: slower). */
    private static void scatter(Parallel par, Conv2dSpec s, float[] dy, float[] w, float[] dx) {
        PhasePlanes ph = PhasePlanes.of(s);
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
                            FloatVector d = FloatVector.fromArray(F, dy, g);
                            for (int t = 0; t < rs; t++) {
                                int i = base + tap[t];
                                d.fma(FloatVector.broadcast(F, w[wOff + t]), FloatVector.fromArray(F, buf, i)).intoArray(buf, i);
                            }
                        } else {
                            VectorMask<Float> m = F.indexInRange(oq, q);
                            FloatVector d = FloatVector.fromArray(F, dy, g, m);
                            for (int t = 0; t < rs; t++) {
                                int i = base + tap[t];
                                d.fma(FloatVector.broadcast(F, w[wOff + t]), FloatVector.fromArray(F, buf, i, m)).intoArray(buf, i, m);
                            }
                        }
                    }
                ph.merge(buf, 0, dx, plane * hw);
            }
        });
    }

    /**
     * dw[c][r][s] = sum over images and outputs of dy * x under tap (r, s); one worker per range of
     * channels. Four taps per pass over a plane (four independent FMA chains, one dy load for four
     * taps); per image and tap one float vector (a few hundred terms per lane), then double.
     * Images outside, channels inside: a worker sweeps its channels of one image, a contiguous
     * block of x and dy, before the next image. (Channels outside read one small plane per image
     * at a stride of c h w floats: 7.0 ms instead of 1.8 ms for 128 x 64 x 8 x 8 on one core, once
     * x and dy outgrow L2.) Each channel still adds its images in order, so the sums are the same.
     */
    public static void backwardWeight(Parallel par, Conv2dSpec s, float[] x, float[] dy, float[] dw) {
        PhasePlanes ph = PhasePlanes.of(s);
        int[] tap = taps(s, ph);
        int rs = s.r() * s.s(), hw = s.h() * s.w();
        par.forRange(s.c(), 1, (lo, hi, scratch) -> {
            float[] buf = scratch.floats(Scratch.PADDED, ph.size());
            ph.pad(buf, 1, 0f);
            int stride = rs + 3;                                   // rs plus slack for the last group of four
            double[] acc = new double[(hi - lo) * stride];         // (channel - lo, tap)
            for (int img = 0; img < s.n(); img++)
                for (int c = lo; c < hi; c++) {
                    int plane = img * s.c() + c;
                    ph.copy(x, plane * hw, 1, buf);
                    accumulatePlane(s, ph, tap, buf, dy, plane * s.p() * s.q(), acc, (c - lo) * stride);
                }
            for (int c = lo; c < hi; c++)
                for (int t = 0; t < rs; t++) dw[c * rs + t] = (float) acc[(c - lo) * stride + t];
        });
    }

    /** acc[at + t] += sum over one plane's outputs of dy * x under tap t, for every tap. */
    private static void accumulatePlane(Conv2dSpec s, PhasePlanes ph, int[] tap, float[] buf, float[] dy, int dyOff,
                                        double[] acc, int at) {
        int rs = tap.length, p = s.p(), q = s.q(), rowStep = s.strideH() * ph.wq;
        for (int t = 0; t < rs; t += 4) {
            // taps past the last repeat it; their sums are dropped
            int o0 = tap[t], o1 = tap[Math.min(t + 1, rs - 1)], o2 = tap[Math.min(t + 2, rs - 1)];
            int o3 = tap[Math.min(t + 3, rs - 1)];
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int op = 0; op < p; op++)
                for (int oq = 0; oq < q; oq += L) {
                    int i = op * rowStep + oq, g = dyOff + op * q + oq;
                    if (oq + L <= q) {
                        FloatVector d = FloatVector.fromArray(F, dy, g);
                        s0 = d.fma(FloatVector.fromArray(F, buf, i + o0), s0);
                        s1 = d.fma(FloatVector.fromArray(F, buf, i + o1), s1);
                        s2 = d.fma(FloatVector.fromArray(F, buf, i + o2), s2);
                        s3 = d.fma(FloatVector.fromArray(F, buf, i + o3), s3);
                    } else {
                        VectorMask<Float> m = F.indexInRange(oq, q);
                        FloatVector d = FloatVector.fromArray(F, dy, g, m);
                        s0 = d.fma(FloatVector.fromArray(F, buf, i + o0, m), s0);
                        s1 = d.fma(FloatVector.fromArray(F, buf, i + o1, m), s1);
                        s2 = d.fma(FloatVector.fromArray(F, buf, i + o2, m), s2);
                        s3 = d.fma(FloatVector.fromArray(F, buf, i + o3, m), s3);
                    }
                }
            acc[at + t] += Sums.lanes(s0);
            acc[at + t + 1] += Sums.lanes(s1);
            acc[at + t + 2] += Sums.lanes(s2);
            acc[at + t + 3] += Sums.lanes(s3);
        }
    }
}
