package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * AugMix's loss against a double-precision closed form written from the paper's formula (p =
 * softmax, M = mean of the three, KL summed over classes, batch mean), and its gradient against
 * central finite differences of that closed form.
 */
class JsdLossTest {
    private static final Backend BE = CpuBackend.reference();

    /** CE(clean) + lambda (KL(p0||M) + KL(p1||M) + KL(p2||M)) / 3 in double; logits (3n, k) row-major. */
    static double closedForm(double[] z, int[] labels, int k, double lambda) {
        int n = labels.length;
        double[][] p = new double[3 * n][k];
        for (int r = 0; r < 3 * n; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < k; j++) max = Math.max(max, z[r * k + j]);
            for (int j = 0; j < k; j++) sum += Math.exp(z[r * k + j] - max);
            for (int j = 0; j < k; j++) p[r][j] = Math.exp(z[r * k + j] - max) / sum;
        }
        double ce = 0, kl = 0;
        for (int i = 0; i < n; i++) {
            ce -= Math.log(p[i][labels[i]]) / n;
            for (int j = 0; j < k; j++) {
                double m = (p[i][j] + p[n + i][j] + p[2 * n + i][j]) / 3;
                for (int c = 0; c < 3; c++) {
                    double q = p[c * n + i][j];
                    if (q > 0) kl += q * (Math.log(q) - Math.log(m)) / n;
                }
            }
        }
        return ce + lambda * kl / 3;
    }

    private static float[] logits(int rows, int k, long seed, float scale) {
        Rng r = new Rng(seed);
        float[] z = new float[rows * k];
        for (int i = 0; i < z.length; i++) z[i] = scale * r.normal();
        return z;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Test
    void valueMatchesTheClosedForm() {
        int n = 4, k = 5;
        int[] y = {0, 3, 4, 1};
        float[] z = logits(3 * n, k, 1, 2f);
        float loss = JsdLoss.loss(Tensor.of(BE, z, 3 * n, k), y, 12).item();
        assertEquals(closedForm(toDouble(z), y, k, 12), loss, 1e-5 * Math.abs(loss));
    }

    @Test
    void stableWhereTheMixtureUnderflows() {
        int n = 2, k = 3;
        int[] y = {0, 2};
        float[] z = {0, 120, -120, 1, 2, 3, 120, 0, -120, 3, 2, 1, -120, 0, 120, 0, 0, 0};
        float loss = JsdLoss.loss(Tensor.of(BE, z, 3 * n, k), y, 12).item();
        assertTrue(Float.isFinite(loss));
        assertEquals(closedForm(toDouble(z), y, k, 12), loss, 1e-5 * Math.abs(loss));
    }

    @Test
    void identicalCopiesHaveNoConsistencyTerm() {
        int n = 3, k = 4;
        float[] one = logits(n, k, 2, 1f), z = new float[3 * n * k];
        for (int c = 0; c < 3; c++) System.arraycopy(one, 0, z, c * n * k, n * k);
        Tensor logp = JsdLoss.logSoftmax(Tensor.of(BE, z, 3 * n, k)).reshape(3, n, k);
        assertEquals(0, JsdLoss.jsd(logp).item(), 1e-6);
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheClosedForm() {
        int n = 3, k = 4;
        int[] y = {2, 0, 3};
        float[] z = logits(3 * n, k, 3, 1.5f);
        Tensor x = Tensor.of(BE, z, 3 * n, k).setRequiresGrad(true);
        float[] g = Autograd.grad(JsdLoss.loss(x, y, 12), List.of(x)).get(x).toFloatArray();
        double[] zd = toDouble(z);
        for (int i = 0; i < zd.length; i++) {
            double h = 1e-5 * Math.max(1, Math.abs(zd[i])), keep = zd[i];
            zd[i] = keep + h;
            double up = closedForm(zd, y, k, 12);
            zd[i] = keep - h;
            double down = closedForm(zd, y, k, 12);
            zd[i] = keep;
            double fd = (up - down) / (2 * h);
            assertEquals(fd, g[i], 1e-4 * Math.max(1, Math.abs(fd)), "d loss / d logit " + i);
        }
    }

    @Test
    void logSoftmaxIsExact() {
        float[] z = {1000, 0, -1000, 1, 2, 3};
        float[] l = JsdLoss.logSoftmax(Tensor.of(BE, z, 2, 3)).toFloatArray();
        assertArrayEquals(new float[]{0, -1000, -2000}, java.util.Arrays.copyOf(l, 3), 1e-3f);
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertArrayEquals(new float[]{(float) (1 - lse), (float) (2 - lse), (float) (3 - lse)},
                java.util.Arrays.copyOfRange(l, 3, 6), 1e-6f);
    }
}
