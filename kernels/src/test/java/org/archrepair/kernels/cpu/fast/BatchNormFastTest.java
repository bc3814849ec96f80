package org.archrepair.kernels.cpu.fast;

import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.cpu.ref.BatchNormRef;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch-norm statistics where a plain float loop fails: a large mean and a small spread
 * (mean 1000, std 0.01, so E[x^2] - E[x]^2 cancels all digits). The fast statistics must agree
 * with the double reference to 1e-5 relative.
 */
class BatchNormFastTest {

    @Test
    void statisticsSurviveALargeMean() {
        BatchNormSpec s = BatchNormSpec.of(16, 8, 1024);
        Random r = new Random(7);
        float[] x = new float[(int) s.length()];
        for (int i = 0; i < x.length; i++) x[i] = 1000f + 0.01f * (float) r.nextGaussian();
        float[] meanRef = new float[8], invRef = new float[8], rmRef = new float[8], rvRef = new float[8];
        float[] mean = new float[8], inv = new float[8], rm = new float[8], rv = new float[8];
        BatchNormRef.forwardTrain(s, x, null, null, rmRef, rvRef, new float[x.length], meanRef, invRef);
        try (Parallel par = new Parallel(2)) {
            BatchNormFast.forwardTrain(par, s, x, null, null, rm, rv, new float[x.length], mean, inv);
        }
        for (int c = 0; c < 8; c++) {
            assertTrue(Math.abs(mean[c] - meanRef[c]) <= 1e-5 * Math.abs(meanRef[c]), "mean " + mean[c] + " vs " + meanRef[c]);
            assertTrue(Math.abs(inv[c] - invRef[c]) <= 1e-5 * invRef[c], "invStd " + inv[c] + " vs " + invRef[c]);
            assertTrue(Math.abs(rv[c] - rvRef[c]) <= 1e-5 * rvRef[c], "running_var " + rv[c] + " vs " + rvRef[c]);
        }
    }
}
