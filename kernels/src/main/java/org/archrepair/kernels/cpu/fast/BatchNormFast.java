package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.archrepair.kernels.BatchNormSpec;

/**
 * Batch normalization with PyTorch semantics (biased variance normalizes, unbiased variance enters
 * running_var, momentum from the spec), parallel over channels: one worker computes a channel's
 * statistics and output, so results do not depend on the thread count, and a channel's n * hw
 * values (a few hundred KB in ResNet training) stay in L2 across the passes.
 *
 * <p>Statistics: the mean from blocked vector sums accumulated in double ({@link Sums}); the
 * variance from a second pass of sums shifted by that mean, with the shift's rounding corrected
 * ({@code var = (s2 - s1^2/m) / m}), so no cancellation. The per-element formulas are the
 * reference's, operation for operation.
 *
 * <p>What this is not: a fused conv/BN/ReLU epilogue. Buffers: x, y, dy, dx: (n, c, hw); the rest (c).
 */
public final class BatchNormFast {
    private BatchNormFast() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    /** Training-mode forward; gamma/beta and runningMean/runningVar may be null in pairs. */
    public static void forwardTrain(Parallel par, BatchNormSpec s, float[] x, float[] gamma, float[] beta,
                                    float[] runningMean, float[] runningVar, float[] y,
                                    float[] saveMean, float[] saveInvStd) {
        int n = s.n(), c = s.c(), hw = s.hw();
        long m = (long) n * hw;
        par.forRange(c, 1, (lo, hi) -> {
            double[] moments = new double[2];
            for (int ch = lo; ch < hi; ch++) {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += Sums.sum(x, (i * c + ch) * hw, hw);
                double mean = sum / m;
                float mu = (float) mean;
                moments[0] = 0;
                moments[1] = 0;
                for (int i = 0; i < n; i++) Sums.shiftedMoments(x, (i * c + ch) * hw, hw, mu, moments);
                double sq = Math.max(0, moments[1] - moments[0] * moments[0] / m);   // sum (x - mean)^2
                float invStd = (float) (1.0 / Math.sqrt(sq / m + s.eps()));
                saveMean[ch] = mu;
                saveInvStd[ch] = invStd;
                float g = gamma == null ? 1f : gamma[ch], b = beta == null ? 0f : beta[ch];
                for (int i = 0; i < n; i++) normalize(x, y, (i * c + ch) * hw, hw, mu, invStd, g, b);
                if (runningMean != null) {
                    float mom = s.momentum();
                    runningMean[ch] = (1f - mom) * runningMean[ch] + mom * mu;
                    runningVar[ch] = (1f - mom) * runningVar[ch] + mom * (float) (sq / (m - 1));
                }
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
        for (; i + 8 <= len; i += 8)
            FloatVector.fromArray(S, x, off + i).sub(mu).mul(invStd).mul(g).add(b).intoArray(y, off + i);
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
        par.forRange(c, 1, (lo, hi) -> {
            double[] sums = new double[2];
            for (int ch = lo; ch < hi; ch++) {
                float mu = saveMean[ch], invStd = saveInvStd[ch];
                sums[0] = 0;
                sums[1] = 0;
                for (int i = 0; i < n; i++) gradientSums(x, dy, (i * c + ch) * hw, hw, mu, invStd, sums);
                double sumDy = sums[0], sumDyXhat = sums[1];
                if (dgamma != null) dgamma[ch] = (float) sumDyXhat;
                if (dbeta != null) dbeta[ch] = (float) sumDy;
                float k = (gamma == null ? 1f : gamma[ch]) * invStd;
                float meanDy = (float) (sumDy / m), meanDyXhat = (float) (sumDyXhat / m);
                for (int i = 0; i < n; i++) dataGradient(x, dy, dx, (i * c + ch) * hw, hw, mu, invStd, k, meanDy, meanDyXhat);
            }
        });
    }

    /** sums[0] += sum dy, sums[1] += sum dy * xhat with xhat = (x - mu) * invStd, blocked like {@link Sums}. */
    private static void gradientSums(float[] x, float[] dy, int off, int len, float mu, float invStd, double[] sums) {
        for (int b = 0; b < len; b += Sums.BLOCK) {
            int end = Math.min(len, b + Sums.BLOCK), i = b;
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            for (; i + 8 <= end; i += 8) {
                FloatVector g = FloatVector.fromArray(S, dy, off + i);
                FloatVector xhat = FloatVector.fromArray(S, x, off + i).sub(mu).mul(invStd);
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
        for (; i + 8 <= len; i += 8) {
            FloatVector xhat = FloatVector.fromArray(S, x, off + i).sub(mu).mul(invStd);
            FloatVector.fromArray(S, dy, off + i).sub(meanDy).sub(xhat.mul(meanDyXhat)).mul(k).intoArray(dx, off + i);
        }
        for (; i < len; i++) {
            float xhat = (x[off + i] - mu) * invStd;
            dx[off + i] = k * (dy[off + i] - meanDy - xhat * meanDyXhat);
        }
    }
}
