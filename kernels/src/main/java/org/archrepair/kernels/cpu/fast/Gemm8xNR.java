package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;
import static org.archrepair.kernels.cpu.fast.Panels.NR;

/**
 * Serial blocked GEMM driver with an 8 x NR register tile (8 rows, two vectors of {@link Lanes#L}
 * floats): C (+)= A B for packed operands. Sixteen accumulators, two B loads and eight A broadcasts
 * per depth step: with AVX-512's 32 registers this is spill-free and runs at 250-256 GFLOP/s in L1
 * on one Zen 5 core (4 x NR: 230, 6 x NR: 249, 12 x NR: 248-255, 14 x NR and 8 x 3 vectors spill:
 * 83 and 71-117), and 8 divides the 16/32/64 output channels of the ResNet stages. With AVX2's 16
 * registers it would spill, so {@link Sgemm#tileRows} only picks it when {@link Lanes#WIDE}.
 *
 * <p>What this is not: thread-aware or shape-aware. {@link Sgemm} picks the tile shape, splits the
 * work between threads and handles alpha/beta; this class is one driver per tile shape on purpose,
 * because a driver shared by several micro-kernels mixes their JIT profiles and slows all of them.
 *
 * <p>Blocking (Goto): for each NC-column block and KC-deep slice, B is packed once (its NR-column
 * panels are the L1/L2-resident operand of the inner loop); A, packed whole beforehand and shared by
 * all workers, is walked in MC-row blocks (L2), and every tile of C is updated with one pass over
 * the slice. C is read and written once per slice, so the slice is deep (up to {@link Sgemm#KC}).
 */
final class Gemm8xNR {
    private Gemm8xNR() {
    }

    static final int MR = 8;

    /**
     * C = A B (accumulate false) or C += A B. A: (m, k) packed whole by {@link Sgemm#packA} into ap[aOff..];
     * B: (k, n) via b; C: c[cOff + i*ldc + j]. k > 0. The depth slices depend only on k, so each C
     * element sees the same sequence of operations however the caller splits m and n.
     */
    static void multiply(float[] ap, int aOff, Panels.PackB b, int m, int n, int k, float[] c, int cOff, int ldc,
                         boolean accumulate, int ncBlock, Scratch s) {
        int slices = Sgemm.slices(k), kcMax = Sgemm.sliceDepth(k, slices, 0), mPad = Lanes.roundUp(m, MR);
        int mcMax = Math.min(Sgemm.mc(MR), mPad), ncMax = Math.min(ncBlock, Lanes.roundUp(n, NR));
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

    /** All tiles of one packed block: NR-column panels outside, so each B panel stays in cache across the A panels. */
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
                    Panels.storeTile(tile, c, ci, ldc, mr, nr, acc);
                }
            }
        }
    }

    /** One 8 x NR tile over kc depth steps: C = acc ? C + A B : A B. The whole C tile is loaded before any store. */
    private static void kernel(float[] ap, int ao, float[] bp, int bo, int kc, float[] c, int ci, int ldc,
                               boolean acc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR, bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + L);
            FloatVector av = FloatVector.broadcast(F, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(F, ap[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(F, ap[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
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
}
