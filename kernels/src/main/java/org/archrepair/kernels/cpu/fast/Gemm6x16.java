package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static org.archrepair.kernels.cpu.fast.Panels.NR;

/**
 * Serial blocked GEMM driver with a 6x16 register tile: C (+)= A B for packed operands. Twelve
 * 8-float accumulators, two B loads and six A broadcasts per depth step; this reaches the FMA peak
 * only with the C2 flag {@code -XX:-OptoRegScheduling} (in jvm.options), without which C2 spills
 * an accumulator every iteration.
 *
 * <p>What this is not: thread-aware or shape-aware. {@link Sgemm} picks the tile shape, splits the
 * work between threads and handles alpha/beta; this class is one driver per tile shape on purpose,
 * because a driver shared by several micro-kernels mixes their JIT profiles and slows all of them.
 *
 * <p>Blocking (Goto): for each NC-column block and KC-deep slice, B is packed once (its 16-column
 * panels are the L1-resident operand of the inner loop); A, packed whole beforehand and shared by
 * all workers, is walked in MC-row blocks (L2), and every 6x16 tile of C is updated with one pass
 * over the slice. C is read and written once per
 * slice, so the slice is deep (KC up to {@link Sgemm#KC}).
 */
final class Gemm6x16 {
    private Gemm6x16() {
    }

    static final int MR = 6;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    /**
     * C = A B (accumulate false) or C += A B. A: (m, k) packed whole by {@link Sgemm#packA} into ap[aOff..];
     * B: (k, n) via b; C: c[cOff + i*ldc + j]. k > 0. The depth slices depend only on k, so each C
     * element sees the same sequence of operations however the caller splits m and n.
     */
    static void multiply(float[] ap, int aOff, Panels.PackB b, int m, int n, int k, float[] c, int cOff, int ldc,
                         boolean accumulate, int ncBlock, Scratch s) {
        int slices = Sgemm.slices(k), kcMax = Sgemm.sliceDepth(k, slices, 0), mPad = roundUp(m, MR);
        int mcMax = Math.min(Sgemm.mc(MR), mPad), ncMax = Math.min(ncBlock, roundUp(n, NR));
        float[] bp = s.floats(Scratch.PACK_B, ncMax * kcMax);
        float[] tile = s.floats(Scratch.TILE, MR * NR);
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int slice = 0, p0 = 0; slice < slices; slice++) {
                int kc = Sgemm.sliceDepth(k, slices, slice);
                b.pack(p0, kc, jc, nc, bp);
                boolean acc = accumulate || slice > 0;
                for (int ic = 0; ic < m; ic += mcMax)
                    macro(ap, aOff + p0 * mPad + ic * kc, bp, Math.min(mcMax, m - ic), nc, kc, c, cOff + ic * ldc + jc, ldc,
                            acc, tile);
                p0 += kc;
            }
        }
    }

    static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }

    /** All tiles of one packed block: 16-column panels outside, so each B panel stays in L1 across the A panels. */
    private static void macro(float[] ap, int aOff, float[] bp, int mc, int nc, int kc, float[] c, int cOff, int ldc,
                              boolean acc, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr), bo = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir), ao = aOff + ir * kc, ci = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    kernel(ap, ao, bp, bo, kc, c, ci, ldc, acc);
                } else {
                    kernel(ap, ao, bp, bo, kc, tile, 0, NR, false);
                    for (int i = 0; i < mr; i++)
                        for (int j = 0; j < nr; j++)
                            c[ci + i * ldc + j] = acc ? c[ci + i * ldc + j] + tile[i * NR + j] : tile[i * NR + j];
                }
            }
        }
    }

    /** One 6x16 tile over kc depth steps: C = acc ? C + A B : A B. The whole C tile is loaded before any store. */
    private static void kernel(float[] ap, int ao, float[] bp, int bo, int kc, float[] c, int ci, int ldc,
                               boolean acc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR, bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + 8);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        if (acc) {
            FloatVector o00 = FloatVector.fromArray(S, c, r0), o01 = FloatVector.fromArray(S, c, r0 + 8);
            FloatVector o10 = FloatVector.fromArray(S, c, r1), o11 = FloatVector.fromArray(S, c, r1 + 8);
            FloatVector o20 = FloatVector.fromArray(S, c, r2), o21 = FloatVector.fromArray(S, c, r2 + 8);
            FloatVector o30 = FloatVector.fromArray(S, c, r3), o31 = FloatVector.fromArray(S, c, r3 + 8);
            FloatVector o40 = FloatVector.fromArray(S, c, r4), o41 = FloatVector.fromArray(S, c, r4 + 8);
            FloatVector o50 = FloatVector.fromArray(S, c, r5), o51 = FloatVector.fromArray(S, c, r5 + 8);
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
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + 8);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + 8);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + 8);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + 8);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + 8);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + 8);
    }
}
