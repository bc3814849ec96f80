package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import org.archrepair.kernels.Conv2dSpec;

import static org.archrepair.kernels.cpu.fast.Lanes.D;
import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.HALF;
import static org.archrepair.kernels.cpu.fast.Lanes.L;

/**
 * The weight gradient of a convolution with fewer input channels than vector lanes (the 3-channel
 * stem of CIFAR ResNets) as dot products:
 * {@code dw[k][c][r][s] = sum over images and outputs (p, q) of dy[k][p][q] x[c][p sh + r dh - ph][q sw + s dw - pw]},
 * vectorized along q over the {@link PhasePlanes} of each image (tap (r, s) of L consecutive outputs
 * is one vector load), four output channels by three column taps at a time: 12 FMA chains fed by 7
 * loads. The GEMM path packs the 9x-expanded im2col of such an input image by image (3 channels
 * cannot be read in place as vectors), which cost more than the arithmetic: 25-32 GFLOP/s on the
 * ResNet-20 stem.
 *
 * <p>Numerics: per image and (k, c, r, s) one float vector of partial sums (p q / L terms per lane),
 * widened and added lane by lane into a vector of double sums per worker; at the end its lanes are
 * added in lane order and the workers' sums in worker order, so the result is reproducible for a
 * given thread count. (Adding each image's lanes into one double right away cost twice the
 * arithmetic: 16 dependent adds for every 64 FMAs.)
 *
 * <p>What this is not: for many channels (the GEMM wins) or grouped convolutions, or output rows
 * that are not a multiple of L ({@link #applies}). Buffers: x: (n, c, h, w), dy: (n, k, p, q), dw: (k, c, r, s).
 */
final class WeightGradientDot {
    private WeightGradientDot() {
    }

    /** Output channels per pass and column taps per pass: 4 x 3 accumulators. */
    private static final int KB = 4, SB = 3;

    static boolean applies(Conv2dSpec s) {
        return s.groups() == 1 && s.c() < L && s.q() % L == 0;
    }

    static void backwardWeight(Parallel par, Conv2dSpec s, float[] x, float[] dy, float[] dw) {
        int parts = Math.min(par.threads(), s.n());
        double[][] partials = new double[parts][];
        PhasePlanes ph = PhasePlanes.of(s);
        par.run(parts, (part, scratch) -> {
            double[] sums = new double[(int) s.wLength() * HALF];           // (k, c, r, s, L / 2)
            partials[part] = sums;
            float[] planes = scratch.floats(Scratch.PADDED, s.c() * ph.size());
            ph.pad(planes, s.c(), 0f);                                     // copy() only writes in-image positions
            float[] tmp = new float[KB * SB * L];
            for (int img = Parallel.split(s.n(), parts, part); img < Parallel.split(s.n(), parts, part + 1); img++) {
                ph.copy(x, img * s.c() * s.h() * s.w(), s.c(), planes);
                for (int k0 = 0; k0 < s.k(); k0 += KB)
                    for (int c = 0; c < s.c(); c++)
                        for (int r = 0; r < s.r(); r++)
                            for (int s0 = 0; s0 < s.s(); s0 += SB) image(s, ph, dy, img, k0, planes, c, r, s0, sums, tmp);
            }
        });
        for (int i = 0; i < dw.length; i++) {
            double sum = 0;
            for (int t = 0; t < parts; t++) {
                double part = 0;
                for (int l = 0; l < HALF; l++) part += partials[t][i * HALF + l];
                sum = t == 0 ? part : sum + part;
            }
            dw[i] = (float) sum;
        }
    }

    /**
     * sums[k][c][r][s] += the dot of dy[img][k] with tap (r, s) of plane c, for k in [k0, k0 + 4) and
     * s in [s0, s0 + 3). Channels and taps past the last repeat it, and their sums are dropped.
     */
    private static void image(Conv2dSpec s, PhasePlanes ph, float[] dy, int img, int k0, float[] planes, int c, int r,
                              int s0, double[] sums, float[] tmp) {
        int pq = s.p() * s.q(), rowStep = s.strideH() * ph.wq, last = s.k() - 1, base = c * ph.size();
        int d0 = (img * s.k() + k0) * pq, d1 = (img * s.k() + Math.min(k0 + 1, last)) * pq;
        int d2 = (img * s.k() + Math.min(k0 + 2, last)) * pq, d3 = (img * s.k() + Math.min(k0 + 3, last)) * pq;
        int t0 = base + ph.tap(r, s0, s.dilH(), s.dilW());
        int t1 = base + ph.tap(r, Math.min(s0 + 1, s.s() - 1), s.dilH(), s.dilW());
        int t2 = base + ph.tap(r, Math.min(s0 + 2, s.s() - 1), s.dilH(), s.dilW());
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a30 = a00, a31 = a00, a32 = a00;
        // One loop over the output vectors (a row loop of two vectors kept C2 from removing the checks).
        for (int o = 0, b = 0, q = 0; o < pq; o += L) {
            FloatVector x0 = FloatVector.fromArray(F, planes, b + t0);
            FloatVector x1 = FloatVector.fromArray(F, planes, b + t1);
            FloatVector x2 = FloatVector.fromArray(F, planes, b + t2);
            FloatVector g = FloatVector.fromArray(F, dy, d0 + o);
            a00 = g.fma(x0, a00);
            a01 = g.fma(x1, a01);
            a02 = g.fma(x2, a02);
            g = FloatVector.fromArray(F, dy, d1 + o);
            a10 = g.fma(x0, a10);
            a11 = g.fma(x1, a11);
            a12 = g.fma(x2, a12);
            g = FloatVector.fromArray(F, dy, d2 + o);
            a20 = g.fma(x0, a20);
            a21 = g.fma(x1, a21);
            a22 = g.fma(x2, a22);
            g = FloatVector.fromArray(F, dy, d3 + o);
            a30 = g.fma(x0, a30);
            a31 = g.fma(x1, a31);
            a32 = g.fma(x2, a32);
            q += L;
            b += L;
            if (q == s.q()) {                 // next output row
                q = 0;
                b += rowStep - s.q();
            }
        }
        // Out to tmp and summed in a separate method: twelve lane sums inlined here pushed C2 past
        // its inlining budget, and the loads' bounds checks became calls.
        a00.intoArray(tmp, 0);
        a01.intoArray(tmp, L);
        a02.intoArray(tmp, 2 * L);
        a10.intoArray(tmp, 3 * L);
        a11.intoArray(tmp, 4 * L);
        a12.intoArray(tmp, 5 * L);
        a20.intoArray(tmp, 6 * L);
        a21.intoArray(tmp, 7 * L);
        a22.intoArray(tmp, 8 * L);
        a30.intoArray(tmp, 9 * L);
        a31.intoArray(tmp, 10 * L);
        a32.intoArray(tmp, 11 * L);
        add(s, k0, c, r, s0, tmp, sums);
    }

    /** sums[k0 + kk][c][r][s0 + ss][..] += accumulator (kk, ss) of tmp: (4, 3, L), widened to double lane by lane, for the channels and taps that exist. */
    private static void add(Conv2dSpec s, int k0, int c, int r, int s0, float[] tmp, double[] sums) {
        for (int kk = 0; kk < KB && k0 + kk < s.k(); kk++)
            for (int ss = 0; ss < SB && s0 + ss < s.s(); ss++) {
                FloatVector v = FloatVector.fromArray(F, tmp, (kk * SB + ss) * L);
                int at = ((((k0 + kk) * s.c() + c) * s.r() + r) * s.s() + s0 + ss) * HALF;
                DoubleVector.fromArray(D, sums, at).add(v.convertShape(VectorOperators.F2D, D, 0))
                        .add(v.convertShape(VectorOperators.F2D, D, 1)).intoArray(sums, at);
            }
    }
}
