package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;
import static org.archrepair.kernels.cpu.fast.Panels.NR;

/**
 * Direct implicit-GEMM convolution driver with an 8 x NR register tile (see {@link Gemm8xNR} for
 * the choice): the B operand is never packed. {@code B(kk, j) = src[rowOff[kk] + colOff[j / L] + j % L]}:
 * depth steps and vectors of L output columns each have a precomputed offset, and the L columns of
 * a vector are L consecutive floats of src. So a depth step is two unaligned vector loads from
 * L1/L2-resident data plus one int from the table, and the 9x-expanded im2col copy, which cost as
 * much as the arithmetic on 16-channel layers, disappears. Two uses:
 * <ul>
 *   <li>forward (and stride-1 backward data): src = {@link PhasePlanes} of one image, rowOff = tap
 *       offsets of (c, r, s), colOff = start of L output columns (one output row, or L consecutive
 *       output positions of the shifted planes when rows are narrower than L, see {@link ConvFast});
 *   <li>weight gradient: src = channels-last copies of a few images ({@link Im2colT}), rowOff =
 *       position of (image, p, q), colOff = start of L channels of one tap (needs c % L == 0).
 * </ul>
 * Every element sees the same operations as through the packed path, so both give the same bits.
 *
 * <p>What this is not: general; the callers check the conditions above and use the packing path
 * ({@link Im2colT} + {@link Gemm8xNR}) otherwise. One driver per tile shape.
 */
final class ConvGemm8xNR {
    private ConvGemm8xNR() {
    }

    static final int MR = 8;

    /**
     * C = A B or C += A B. A: (m, depth) packed whole by {@link Sgemm#packA} into ap[apOff..]; B as above;
     * C: c[cOff + i*ldc + j] for j in [0, n). depth > 0; rowOff: (depth); colOff: (ceil(n / L)).
     */
    static void multiply(float[] ap, int apOff, int m, int depth, float[] src, int[] rowOff, int[] colOff, int n,
                         float[] c, int cOff, int ldc, boolean accumulate, Scratch s) {
        int slices = Sgemm.slices(depth), mPad = Lanes.roundUp(m, MR);
        int mcMax = Math.min(Sgemm.mc(MR), mPad);
        float[] tile = s.floats(Scratch.TILE, MR * NR);
        for (int slice = 0, p0 = 0; slice < slices; slice++) {
            int kc = Sgemm.sliceDepth(depth, slices, slice);
            boolean acc = accumulate || slice > 0;
            for (int ic = 0; ic < m; ic += mcMax) {
                int mc = Math.min(mcMax, m - ic), aOff = apOff + p0 * mPad + ic * kc;
                for (int jt = 0; jt < n; jt += NR) {
                    int nr = Math.min(NR, n - jt), b0 = colOff[jt / L];
                    int b1 = nr > L ? colOff[jt / L + 1] : b0;            // a missing half reads a valid dummy
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = Math.min(MR, mc - ir), ci = cOff + (ic + ir) * ldc + jt, ao = aOff + ir * kc;
                        if (mr == MR && nr == NR) {
                            kernel(ap, ao, src, b0, b1, rowOff, p0, kc, c, ci, ldc, acc);
                        } else if (mr == MR && nr == L) {
                            halfKernel(ap, ao, src, b0, rowOff, p0, kc, c, ci, ldc, acc);
                        } else {
                            kernel(ap, ao, src, b0, b1, rowOff, p0, kc, tile, 0, NR, false);
                            Panels.storeTile(tile, c, ci, ldc, mr, nr, acc);
                        }
                    }
                }
            }
            p0 += kc;
        }
    }

    /** One 8 x NR tile over kc depth steps from p0: C = acc ? C + A B : A B. */
    private static void kernel(float[] ap, int ao, float[] src, int b0, int b1, int[] rowOff, int p0, int kc,
                               float[] c, int ci, int ldc, boolean acc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int o = rowOff[p0 + p], ai = ao + p * MR;
            FloatVector v0 = FloatVector.fromArray(F, src, o + b0);
            FloatVector v1 = FloatVector.fromArray(F, src, o + b1);
            FloatVector av = FloatVector.broadcast(F, ap[ai]);
            c00 = av.fma(v0, c00);
            c01 = av.fma(v1, c01);
            av = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = av.fma(v0, c10);
            c11 = av.fma(v1, c11);
            av = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = av.fma(v0, c20);
            c21 = av.fma(v1, c21);
            av = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = av.fma(v0, c30);
            c31 = av.fma(v1, c31);
            av = FloatVector.broadcast(F, ap[ai + 4]);
            c40 = av.fma(v0, c40);
            c41 = av.fma(v1, c41);
            av = FloatVector.broadcast(F, ap[ai + 5]);
            c50 = av.fma(v0, c50);
            c51 = av.fma(v1, c51);
            av = FloatVector.broadcast(F, ap[ai + 6]);
            c60 = av.fma(v0, c60);
            c61 = av.fma(v1, c61);
            av = FloatVector.broadcast(F, ap[ai + 7]);
            c70 = av.fma(v0, c70);
            c71 = av.fma(v1, c71);
        }
        int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        if (acc) {
            FloatVector o00 = FloatVector.fromArray(F, c, r0), o01 = FloatVector.fromArray(F, c, r0 + L);
            FloatVector o10 = FloatVector.fromArray(F, c, r1), o11 = FloatVector.fromArray(F, c, r1 + L);
            FloatVector o20 = FloatVector.fromArray(F, c, r2), o21 = FloatVector.fromArray(F, c, r2 + L);
            FloatVector o30 = FloatVector.fromArray(F, c, r3), o31 = FloatVector.fromArray(F, c, r3 + L);
            FloatVector o40 = FloatVector.fromArray(F, c, r4), o41 = FloatVector.fromArray(F, c, r4 + L);
            FloatVector o50 = FloatVector.fromArray(F, c, r5), o51 = FloatVector.fromArray(F, c, r5 + L);
            FloatVector o60 = FloatVector.fromArray(F, c, r6), o61 = FloatVector.fromArray(F, c, r6 + L);
            FloatVector o70 = FloatVector.fromArray(F, c, r7), o71 = FloatVector.fromArray(F, c, r7 + L);
            c00 = o00.add(c00);
            c01 = o01.add(c01);
            c10 = o10.add(c10);
            c11 = o11.add(c11);
            c20 = o20.add(c20);
            c21 = o21.add(c21);
            c30 = o30.add(c30);
            c31 = o31.add(c31);
            c40 = o40.add(c40);
            c41 = o41.add(c41);
            c50 = o50.add(c50);
            c51 = o51.add(c51);
            c60 = o60.add(c60);
            c61 = o61.add(c61);
            c70 = o70.add(c70);
            c71 = o71.add(c71);
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + L);
        c60.intoArray(c, r6);
        c61.intoArray(c, r6 + L);
        c70.intoArray(c, r7);
        c71.intoArray(c, r7 + L);
    }

    /**
     * The left half of {@link #kernel} (8 x L, eight accumulators), for a last tile of exactly one
     * vector: the weight gradient of 16-channel layers has 144 columns, 4.5 tiles at 16 lanes, and
     * the full kernel spent 10% of its time on the dummy half. Same operations per element as the
     * full kernel, so the same bits.
     */
    private static void halfKernel(float[] ap, int ao, float[] src, int b0, int[] rowOff, int p0, int kc,
                                   float[] c, int ci, int ldc, boolean acc) {
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR;
            FloatVector v = FloatVector.fromArray(F, src, rowOff[p0 + p] + b0);
            c0 = FloatVector.broadcast(F, ap[ai]).fma(v, c0);
            c1 = FloatVector.broadcast(F, ap[ai + 1]).fma(v, c1);
            c2 = FloatVector.broadcast(F, ap[ai + 2]).fma(v, c2);
            c3 = FloatVector.broadcast(F, ap[ai + 3]).fma(v, c3);
            c4 = FloatVector.broadcast(F, ap[ai + 4]).fma(v, c4);
            c5 = FloatVector.broadcast(F, ap[ai + 5]).fma(v, c5);
            c6 = FloatVector.broadcast(F, ap[ai + 6]).fma(v, c6);
            c7 = FloatVector.broadcast(F, ap[ai + 7]).fma(v, c7);
        }
        int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        if (acc) {
            FloatVector o0 = FloatVector.fromArray(F, c, r0), o1 = FloatVector.fromArray(F, c, r1);
            FloatVector o2 = FloatVector.fromArray(F, c, r2), o3 = FloatVector.fromArray(F, c, r3);
            FloatVector o4 = FloatVector.fromArray(F, c, r4), o5 = FloatVector.fromArray(F, c, r5);
            FloatVector o6 = FloatVector.fromArray(F, c, r6), o7 = FloatVector.fromArray(F, c, r7);
            c0 = o0.add(c0);
            c1 = o1.add(c1);
            c2 = o2.add(c2);
            c3 = o3.add(c3);
            c4 = o4.add(c4);
            c5 = o5.add(c5);
            c6 = o6.add(c6);
            c7 = o7.add(c7);
        }
        c0.intoArray(c, r0);
        c1.intoArray(c, r1);
        c2.intoArray(c, r2);
        c3.intoArray(c, r3);
        c4.intoArray(c, r4);
        c5.intoArray(c, r5);
        c6.intoArray(c, r6);
        c7.intoArray(c, r7);
    }
}
