package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;

import org.archrepair.kernels.BatchNormSpec;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;

/**
 * Batch normalization with PyTorch semantics (biased variance normalizes, unbiased variance enters
 * running_var, momentum from the spec). Every pass walks the (image, channel) planes in memory
 * order, split over workers; per-channel results are combined from per-plane ones in plane order,
 * so they do not depend on the thread count.
 *
 * <p>Statistics: each plane's mean (blocked vector sums in double, {@link Sums}) and its sum of
 * squared deviations from that mean (a second pass while the plane is in L1, shifted so there is
 * no cancellation); the planes of a channel are merged with Chan's pairwise update
 * ({@code M2 = M2a + M2b + d^2 na nb / (na + nb)}), exact in double up to rounding. The reference
 * accumulates in double over the whole channel; the two agree to ~1e-7 relative even when the
 * mean is 10^5 times the spread. The per-element formulas are the reference's, operation for
 * operation.
 *
 * <p>What this is not: a fused conv/BN/ReLU epilogue. Buffers: x, y, dy, dx: (n, c, hw); the rest (c).
 */
public final class BatchNormFast {
    private BatchNormFast() {
    }

    private static int grain(int hw) {
        return Math.max(1, ElementwiseFast.GRAIN / hw);
    }

    /** Training-mode forward; gamma/beta and runningMean/runningVar may be null in pairs. */
    public static void forwardTrain(Parallel par, BatchNormSpec s, float[] x, float[] gamma, float[] beta,
                                    float[] runningMean, float[] runningVar, float[] y,
                                    float[] saveMean, float[] saveInvStd) {
        int n = s.n(), c = s.c(), hw = s.hw();
        long m = (long) n * hw;
        double[] plane = new double[2 * n * c];           // per plane: mean, sum of squared deviations
        par.forRange(n * c, grain(hw), (lo, hi) -> {
            double[] moments = new double[2];
            for (int i = lo; i < hi; i++) {
                float shift = (float) (Sums.sum(x, i * hw, hw) / hw);
                moments[0] = 0;
                moments[1] = 0;
                Sums.shiftedMoments(x, i * hw, hw, shift, moments);
                plane[2 * i] = shift + moments[0] / hw;    // the plane's mean, the shift's rounding corrected
                plane[2 * i + 1] = Math.max(0, moments[1] - moments[0] * moments[0] / hw);
            }
        });
        for (int ch = 0; ch < c; ch++) {
            double mean = plane[2 * ch], sq = plane[2 * ch + 1];
            for (int i = 1; i < n; i++) {                  // Chan et al.: merge plane i into planes 0..i-1
                int at = 2 * (i * c + ch);
                double d = plane[at] - mean, na = (double) i * hw, total = na + hw;
                mean += d * hw / total;
                sq += plane[at + 1] + d * d * na * hw / total;
            }
            float mu = (float) mean, invStd = (float) (1.0 / Math.sqrt(sq / m + s.eps()));
            saveMean[ch] = mu;
            saveInvStd[ch] = invStd;
            if (runningMean != null) {
                float mom = s.momentum();
                runningMean[ch] = (1f - mom) * runningMean[ch] + mom * mu;
                runningVar[ch] = (1f - mom) * runningVar[ch] + mom * (float) (sq / (m - 1));
            }
        }
        par.forRange(n * c, grain(hw), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int ch = i % c;
                normalize(x, y, i * hw, hw, saveMean[ch], saveInvStd[ch], gamma == null ? 1f : gamma[ch],
                        beta == null ? 0f : beta[ch]);
            }
        });
    }

    /** Eval-mode forward with the running statistics; parallel over (image, channel) planes. */
    public static void forwardEval(Parallel par, BatchNormSpec s, float[] x, float[] gamma, float[] beta,
                                   float[] runningMean, float[] runningVar, float[] y) {
        int c = s.c(), hw = s.hw();
        par.forRange(s.n() * c, Math.max(1, ElementwiseFast.GRAIN / hw), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int ch = plane % c;
                float invStd = (float) (1.0 / Math.sqrt(runningVar[ch] + (double) s.eps()));
                float g = gamma == null ? 1f : gamma[ch], b = beta == null ? 0f : beta[ch];
                normalize(x, y, plane * hw, hw, runningMean[ch], invStd, g, b);
            }
        });
    }

    /** y = (x - mu) * invStd * g + b over one run, in the reference's order of roundings. */
    private static void normalize(float[] x, float[] y, int off, int len, float mu, float invStd, float g, float b) {
        int i = 0;
        for (; i + L <= len; i += L)
            FloatVector.fromArray(F, x, off + i).sub(mu).mul(invStd).mul(g).add(b).intoArray(y, off + i);
        for (; i < len; i++) y[off + i] = (x[off + i] - mu) * invStd * g + b;
    }

    /**
     * Backward of training mode: dbeta = sum dy, dgamma = sum dy xhat,
     * dx = gamma invStd (dy - dbeta/m - xhat dgamma/m). gamma may be null (1); dgamma, dbeta may be null.
     */
    public static void backward(Parallel par, BatchNormSpec s, float[] x, float[] dy, float[] gamma,
                                float[] saveMean, float[] saveInvStd, float[] dx, float[] dgamma, float[] dbeta) {
        int n = s.n(), c = s.c(), hw = s.hw();
        long m = (long) n * hw;
        double[] plane = new double[2 * n * c];           // per plane: sum dy, sum dy * xhat
        par.forRange(n * c, grain(hw), (lo, hi) -> {
            double[] sums = new double[2];
            for (int i = lo; i < hi; i++) {
                sums[0] = 0;
                sums[1] = 0;
                gradientSums(x, dy, i * hw, hw, saveMean[i % c], saveInvStd[i % c], sums);
                plane[2 * i] = sums[0];
                plane[2 * i + 1] = sums[1];
            }
        });
        float[] meanDy = new float[c], meanDyXhat = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                sumDy += plane[2 * (i * c + ch)];
                sumDyXhat += plane[2 * (i * c + ch) + 1];
            }
            if (dgamma != null) dgamma[ch] = (float) sumDyXhat;
            if (dbeta != null) dbeta[ch] = (float) sumDy;
            meanDy[ch] = (float) (sumDy / m);
            meanDyXhat[ch] = (float) (sumDyXhat / m);
        }
        par.forRange(n * c, grain(hw), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int ch = i % c;
                float k = (gamma == null ? 1f : gamma[ch]) * saveInvStd[ch];
                dataGradient(x, dy, dx, i * hw, hw, saveMean[ch], saveInvStd[ch], k, meanDy[ch], meanDyXhat[ch]);
            }
        });
    }

    /** sums[0] += sum dy, sums[1] += sum dy * xhat with xhat = (x - mu) * invStd, blocked like {@link Sums}. */
    private static void gradientSums(float[] x, float[] dy, int off, int len, float mu, float invStd, double[] sums) {
        for (int b = 0; b < len; b += Sums.BLOCK) {
            int end = Math.min(len, b + Sums.BLOCK), i = b;
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
            for (; i + L <= end; i += L) {
                FloatVector g = FloatVector.fromArray(F, dy, off + i);
                FloatVector xhat = FloatVector.fromArray(F, x, off + i).sub(mu).mul(invStd);
                s0 = s0.add(g);
                s1 = g.fma(xhat, s1);
            }
            float t0 = 0f, t1 = 0f;
            for (; i < end; i++) {
                float g = dy[off + i];
                t0 += g;
                t1 += g * ((x[off + i] - mu) * invStd);
            }
            sums[0] += Sums.lanes(s0) + (double) t0;
            sums[1] += Sums.lanes(s1) + (double) t1;
        }
    }

    /** dx = k * (dy - meanDy - xhat * meanDyXhat), in the reference's order of roundings. */
    private static void dataGradient(float[] x, float[] dy, float[] dx, int off, int len, float mu, float invStd,
                                     float k, float meanDy, float meanDyXhat) {
        int i = 0;
        for (; i + L <= len; i += L) {
            FloatVector xhat = FloatVector.fromArray(F, x, off + i).sub(mu).mul(invStd);
            FloatVector.fromArray(F, dy, off + i).sub(meanDy).sub(xhat.mul(meanDyXhat)).mul(k).intoArray(dx, off + i);
        }
        for (; i < len; i++) {
            float xhat = (x[off + i] - mu) * invStd;
            dx[off + i] = k * (dy[off + i] - meanDy - xhat * meanDyXhat);
        }
    }
}
