package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;
import static org.archrepair.kernels.cpu.fast.Panels.NR;

/**
 * The serial blocked GEMM driver for machines with 16 vector registers (AVX2): a 6 x NR register
 * tile (12 accumulators, two B loads and six A broadcasts per depth step: 15 of the 16 registers),
 * with 4 x NR tiles for the few 4-row panels that {@link RowPanels} puts first so that 16, 32 or 64
 * rows need no padding. Spill-free only under C2's {@code -XX:-OptoRegScheduling} (jvm.options;
 * without it C2 spilled an accumulator every iteration, TOOLING.md). Same blocking and contract as
 * {@link Gemm8xNR}: for each NC-column block and KC-deep slice B is packed once, A (packed whole
 * beforehand) is walked in blocks of about {@link Sgemm#MC} rows, each B micro-panel stays in L1
 * across the A panels of a block.
 *
 * <p>The kernels only store (C = A B): a tile that accumulates (a later depth slice) or is cut at
 * an edge goes through a small tile buffer and {@link Panels#addTile}. With the accumulating
 * epilogue inside the kernel, as in the AVX-512 drivers, C2 compiled the 6-row kernel with 12
 * spilled accumulators whenever its profile had never seen the epilogue taken (a forward
 * convolution of depth below KC: 39 instead of 67 GFLOP/s on 16 -> 16 channels at 32 x 32, one
 * thread); loading C into registers first needs 24 of them.
 *
 * <p>What this is not: the AVX-512 path ({@link Gemm8xNR} and {@link Gemm4xNR} stay as they were
 * measured there), or thread-aware.
 */
final class Gemm6xNR {
    private Gemm6xNR() {
    }

    static final int MR = 6;

    /**
     * C = A B (accumulate false) or C += A B. A: (m, k) packed in the panels of plan by {@link Sgemm#packA} into ap[aOff..];
     * B: (k, n) via b; C: c[cOff + i*ldc + j]. k > 0. The depth slices depend only on k, so each C
     * element sees the same sequence of operations however the caller splits m and n.
     */
    static void multiply(RowPanels plan, float[] ap, int aOff, Panels.PackB b, int m, int n, int k, float[] c, int cOff,
                         int ldc, boolean accumulate, int ncBlock, Scratch s) {
        int slices = Sgemm.slices(k), kcMax = Sgemm.sliceDepth(k, slices, 0), mPad = plan.rows();
        int ncMax = Math.min(ncBlock, Lanes.roundUp(n, NR));
        float[] bp = s.floats(Scratch.PACK_B, ncMax * kcMax);
        float[] tile = s.floats(Scratch.TILE, MR * NR);
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int slice = 0, p0 = 0; slice < slices; slice++) {
                int kc = Sgemm.sliceDepth(k, slices, slice);
                b.pack(p0, kc, jc, nc, bp);
                boolean acc = accumulate || slice > 0;
                for (int ic = 0, ie; ic < m; ic = ie) {
                    ie = plan.blockEnd(ic, Sgemm.MC);
                    macro(plan, ap, aOff + p0 * mPad, ic, Math.min(ie, m), bp, nc, kc, c, cOff + jc, ldc, acc, tile);
                }
                p0 += kc;
            }
        }
    }

    /** Rows [i0, i1) of one packed slice (panels at aOff + row * kc) times one packed B block. */
    private static void macro(RowPanels plan, float[] ap, int aOff, int i0, int i1, float[] bp, int nc, int kc,
                              float[] c, int cOff, int ldc, boolean acc, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr), bo = jr * kc;
            for (int ir = i0; ir < i1; ) {
                int h = plan.heightAt(ir), mr = Math.min(h, i1 - ir), ao = aOff + ir * kc, ci = cOff + ir * ldc + jr;
                boolean direct = !acc && mr == h && nr == NR;
                if (h == MR) kernel6(ap, ao, bp, bo, kc, direct ? c : tile, direct ? ci : 0, direct ? ldc : NR);
                else kernel4(ap, ao, bp, bo, kc, direct ? c : tile, direct ? ci : 0, direct ? ldc : NR);
                if (!direct) Panels.addTile(tile, c, ci, ldc, mr, nr, acc);
                ir += h;
            }
        }
    }

    /** One 6 x NR tile over kc depth steps: C = A B. */
    static void kernel6(float[] ap, int ao, float[] bp, int bo, int kc, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * 6, bi = bo + p * NR;
            FloatVector v0 = FloatVector.fromArray(F, bp, bi);
            FloatVector v1 = FloatVector.fromArray(F, bp, bi + L);
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
        }
        int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
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
    }

    /** {@link #kernel6} for a 4-row panel. */
    static void kernel4(float[] ap, int ao, float[] bp, int bo, int kc, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * 4, bi = bo + p * NR;
            FloatVector v0 = FloatVector.fromArray(F, bp, bi);
            FloatVector v1 = FloatVector.fromArray(F, bp, bi + L);
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
        }
        int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
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
