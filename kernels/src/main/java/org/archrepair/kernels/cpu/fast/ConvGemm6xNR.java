package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;
import static org.archrepair.kernels.cpu.fast.Panels.NR;

/**
 * The implicit-GEMM convolution driver of {@link ConvGemm8xNR} for machines with 16 vector
 * registers (AVX2), with the contract of ConvGemm8xNR: {@code B(kk, j) = src[rowOff[kk] + colOff[j / L] + j % L]}.
 * Unlike the AVX-512 driver it does not read B in place inside the register tile: it copies each
 * NR-column micro-panel of a depth slice (kc x NR floats, L1-resident) and runs the packed 6 x NR
 * and 4 x NR kernels of {@link Gemm6xNR} over all row panels of {@link RowPanels}. Reading B
 * through the offset table inside the 6-row kernel left a bounds check with twelve live
 * accumulators in every depth step, and C2 spilled three of them: 36 instead of 87 GFLOP/s in L1
 * (thread CPU time, kc 144, 12 rows; the 4-row kernel read in place ran at 73). The copy costs about
 * one load and one store per 6 x 16 x 2 flops of a 16-row layer, less for more channels.
 *
 * <p>Every C element is the same chain of fused multiply-adds over the depth as in the in-place
 * kernels, so the results are the same bits. What this is not: the AVX-512 path, or general (the
 * callers check the conditions).
 */
final class ConvGemm6xNR {
    private ConvGemm6xNR() {
    }

    /**
     * C = A B or C += A B. A: (m, depth) packed in the panels of plan by {@link Sgemm#packA} into ap[apOff..]; B as above;
     * C: c[cOff + i*ldc + j] for j in [0, n). depth > 0; rowOff: (depth); colOff: (ceil(n / L)).
     */
    static void multiply(RowPanels plan, float[] ap, int apOff, int m, int depth, float[] src, int[] rowOff, int[] colOff,
                         int n, float[] c, int cOff, int ldc, boolean accumulate, Scratch s) {
        int slices = Sgemm.slices(depth), mPad = plan.rows();
        float[] tile = s.floats(Scratch.TILE, Gemm6xNR.MR * NR);
        float[] bp = s.floats(Scratch.PACK_B, Sgemm.sliceDepth(depth, slices, 0) * NR);
        for (int slice = 0, p0 = 0; slice < slices; slice++) {
            int kc = Sgemm.sliceDepth(depth, slices, slice);
            boolean acc = accumulate || slice > 0;
            for (int ic = 0, ie; ic < m; ic = ie) {
                ie = plan.blockEnd(ic, Sgemm.MC);
                int i1 = Math.min(ie, m), aOff = apOff + p0 * mPad;
                for (int jt = 0; jt < n; jt += NR) {
                    int nr = Math.min(NR, n - jt), b0 = colOff[jt / L];
                    int b1 = nr > L ? colOff[jt / L + 1] : b0;            // a missing half reads a valid dummy
                    panel(src, rowOff, p0, kc, b0, b1, bp);
                    for (int ir = ic; ir < i1; ) {
                        int h = plan.heightAt(ir), mr = Math.min(h, i1 - ir), ci = cOff + ir * ldc + jt, ao = aOff + ir * kc;
                        boolean direct = !acc && mr == h && nr == NR;
                        float[] out = direct ? c : tile;
                        int oOff = direct ? ci : 0, oLd = direct ? ldc : NR;
                        if (h == Gemm6xNR.MR) Gemm6xNR.kernel6(ap, ao, bp, 0, kc, out, oOff, oLd);
                        else Gemm6xNR.kernel4(ap, ao, bp, 0, kc, out, oOff, oLd);
                        if (!direct) Panels.addTile(tile, c, ci, ldc, mr, nr, acc);
                        ir += h;
                    }
                }
            }
            p0 += kc;
        }
    }

    /** bp[kk * NR + j] = B(p0 + kk, j) for the micro-panel whose two vectors start at b0 and b1: (kc, NR). */
    private static void panel(float[] src, int[] rowOff, int p0, int kc, int b0, int b1, float[] bp) {
        for (int kk = 0, d = 0; kk < kc; kk++, d += NR) {
            int o = rowOff[p0 + kk];
            FloatVector.fromArray(F, src, o + b0).intoArray(bp, d);
            FloatVector.fromArray(F, src, o + b1).intoArray(bp, d + L);
        }
    }
}
