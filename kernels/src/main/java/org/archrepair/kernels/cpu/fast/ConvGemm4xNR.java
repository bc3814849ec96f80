package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;
import static org.archrepair.kernels.cpu.fast.Panels.NR;

/**
 * {@link ConvGemm8xNR} with a 4 x NR register tile, for machines with 16 vector registers and row
 * counts that 8-row panels would pad too much (see {@link Gemm4xNR} for why). Same contract; a
 * separate class on purpose (one driver per tile shape).
 */
final class ConvGemm4xNR {
    private ConvGemm4xNR() {
    }

    static final int MR = 4;

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

    /** One 4 x NR tile over kc depth steps from p0: C = acc ? C + A B : A B. */
    private static void kernel(float[] ap, int ao, float[] src, int b0, int b1, int[] rowOff, int p0, int kc,
                               float[] c, int ci, int ldc, boolean acc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
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
