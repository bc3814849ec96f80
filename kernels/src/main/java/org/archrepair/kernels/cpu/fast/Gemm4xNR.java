package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;
import static org.archrepair.kernels.cpu.fast.Panels.NR;

/**
 * {@link Gemm8xNR} with a 4 x NR register tile (eight accumulators): the tile on machines with 16
 * vector registers when C2's register scheduler is on (AVX2: spill-free at 117 GFLOP/s of a 133 peak
 * per core under -XX:UseAVX=2, where 6 and 8 rows spill and run at 50-57; with it off
 * {@link Gemm6xNR} takes over, {@link RowPanels#SIX}), and on AVX-512 the tile for row counts
 * that 8-row panels would pad by more than it loses (230 vs 250 GFLOP/s), e.g. 4, 12, 20 rows. Same
 * blocking and contract as Gemm8xNR; a separate class on purpose (one driver per tile shape keeps
 * the JIT profiles apart).
 */
final class Gemm4xNR {
    private Gemm4xNR() {
    }

    static final int MR = 4;

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

    /** One 4 x NR tile over kc depth steps: C = acc ? C + A B : A B. The whole C tile is loaded before any store. */
    private static void kernel(float[] ap, int ao, float[] bp, int bo, int kc, float[] c, int ci, int ldc,
                               boolean acc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
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
        }
        int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (acc) {
            FloatVector o00 = FloatVector.fromArray(F, c, r0), o01 = FloatVector.fromArray(F, c, r0 + L);
            FloatVector o10 = FloatVector.fromArray(F, c, r1), o11 = FloatVector.fromArray(F, c, r1 + L);
            FloatVector o20 = FloatVector.fromArray(F, c, r2), o21 = FloatVector.fromArray(F, c, r2 + L);
            FloatVector o30 = FloatVector.fromArray(F, c, r3), o31 = FloatVector.fromArray(F, c, r3 + L);
            c00 = o00.add(c00);
            c01 = o01.add(c01);
            c10 = o10.add(c10);
            c11 = o11.add(c11);
            c20 = o20.add(c20);
            c21 = o21.add(c21);
            c30 = o30.add(c30);
            c31 = o31.add(c31);
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
    }
}
