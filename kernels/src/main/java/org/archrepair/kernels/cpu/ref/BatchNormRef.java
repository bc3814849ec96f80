package org.archrepair.kernels.cpu.ref;

import org.archrepair.kernels.BatchNormSpec;

/**
 * Scalar reference batch normalization, PyTorch semantics (biased variance normalizes, unbiased
 * variance enters the running estimate). Statistics are accumulated in double.
 */
public final class BatchNormRef {
    private BatchNormRef() {
    }

    public static void forwardTrain(BatchNormSpec s, float[] x, float[] gamma, float[] beta,
                                    float[] runningMean, float[] runningVar, float[] y,
                                    float[] saveMean, float[] saveInvStd) {
        int n = s.n(), c = s.c(), hw = s.hw();
        long m = (long) n * hw;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < hw; j++) sum += x[(i * c + ch) * hw + j];
            double mean = sum / m;
            double sq = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < hw; j++) {
                    double d = x[(i * c + ch) * hw + j] - mean;
                    sq += d * d;
                }
            double var = sq / m;
            float invStd = (float) (1.0 / Math.sqrt(var + s.eps()));
            float mu = (float) mean;
            saveMean[ch] = mu;
            saveInvStd[ch] = invStd;
            float g = gamma == null ? 1f : gamma[ch], b = beta == null ? 0f : beta[ch];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < hw; j++) {
                    int idx = (i * c + ch) * hw + j;
                    y[idx] = (x[idx] - mu) * invStd * g + b;
                }
            if (runningMean != null) {
                float mom = s.momentum();
                runningMean[ch] = (1f - mom) * runningMean[ch] + mom * mu;
                runningVar[ch] = (1f - mom) * runningVar[ch] + mom * (float) (sq / (m - 1));
            }
        }
    }

    public static void forwardEval(BatchNormSpec s, float[] x, float[] gamma, float[] beta,
                                   float[] runningMean, float[] runningVar, float[] y) {
        int n = s.n(), c = s.c(), hw = s.hw();
        for (int ch = 0; ch < c; ch++) {
            float invStd = (float) (1.0 / Math.sqrt(runningVar[ch] + (double) s.eps()));
            float g = gamma == null ? 1f : gamma[ch], b = beta == null ? 0f : beta[ch];
            float mu = runningMean[ch];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < hw; j++) {
                    int idx = (i * c + ch) * hw + j;
                    y[idx] = (x[idx] - mu) * invStd * g + b;
                }
        }
    }

    /**
     * xhat = (x - mean) invStd; dbeta = sum dy; dgamma = sum dy xhat;
     * dx = gamma invStd / m (m dy - dbeta - xhat dgamma).
     */
    public static void backward(BatchNormSpec s, float[] x, float[] dy, float[] gamma,
                                float[] saveMean, float[] saveInvStd, float[] dx, float[] dgamma, float[] dbeta) {
        int n = s.n(), c = s.c(), hw = s.hw();
        long m = (long) n * hw;
        for (int ch = 0; ch < c; ch++) {
            float mu = saveMean[ch], invStd = saveInvStd[ch];
            double sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < hw; j++) {
                    int idx = (i * c + ch) * hw + j;
                    sumDy += dy[idx];
                    sumDyXhat += (double) dy[idx] * ((x[idx] - mu) * invStd);
                }
            if (dgamma != null) dgamma[ch] = (float) sumDyXhat;
            if (dbeta != null) dbeta[ch] = (float) sumDy;
            float g = gamma == null ? 1f : gamma[ch];
            float k = g * invStd;
            float meanDy = (float) (sumDy / m), meanDyXhat = (float) (sumDyXhat / m);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < hw; j++) {
                    int idx = (i * c + ch) * hw + j;
                    float xhat = (x[idx] - mu) * invStd;
                    dx[idx] = k * (dy[idx] - meanDy - xhat * meanDyXhat);
                }
        }
    }
}
