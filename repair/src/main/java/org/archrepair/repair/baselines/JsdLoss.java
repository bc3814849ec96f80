package org.archrepair.repair.baselines;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;

/**
 * AugMix's training loss (google-research/augmix cifar.py), a composition of existing Ops with no
 * backward of its own: for logits (3n, k) of the clean images, then the first and the second
 * augmented copies of the same n examples,
 * <pre>
 *   loss = CE(clean, y) + lambda * (KL(p_clean || M) + KL(p_aug1 || M) + KL(p_aug2 || M)) / 3,
 *   M = (p_clean + p_aug1 + p_aug2) / 3,   KL(p || M) = mean over n of sum_k p (log p - log M).
 * </pre>
 * log p is an exact log-softmax, x - c - log(sum exp(x - c)) with c the row maximum as a constant,
 * and log M = c' + log(sum_i exp(log p_i - c')) - log 3 with c' the maximum over the three copies,
 * so neither underflows where the original clamps M at 1e-7 (which only matters when all three
 * copies give a class probability below 1e-7).
 */
final class JsdLoss {
    private JsdLoss() {
    }

    /** CE on the clean third plus lambda times the Jensen-Shannon consistency; logits (3n, k), labels (n). */
    static Tensor loss(Tensor logits, int[] labels, double lambda) {
        int n = labels.length, k = logits.dim(1);
        if (logits.rank() != 2 || logits.dim(0) != 3 * n)
            throw new IllegalArgumentException("JSD loss: logits " + java.util.Arrays.toString(logits.shape())
                    + " are not (3 x " + n + ", classes)");
        Tensor logp = logSoftmax(logits).reshape(3, n, k);
        float[] cleanMask = new float[3 * n * k];               // one-hot of y in the clean third
        for (int i = 0; i < n; i++) cleanMask[i * k + labels[i]] = 1f;
        Tensor ce = Ops.affine(Ops.sum(Ops.mul(logp, Tensor.of(logits.backend(), cleanMask, 3, n, k))), -1f / n, 0f);
        return Ops.add(ce, Ops.affine(jsd(logp), (float) lambda, 0f));
    }

    /** (1/3) sum_i KL(p_i || M), batch mean, from log-probabilities (3, n, k). */
    static Tensor jsd(Tensor logp) {
        int n = logp.dim(1), k = logp.dim(2);
        float[] lp = logp.toFloatArray(), max = new float[n * k];
        for (int j = 0; j < n * k; j++) max[j] = Math.max(lp[j], Math.max(lp[n * k + j], lp[2 * n * k + j]));
        Tensor c = Tensor.of(logp.backend(), max, 1, n, k);
        Tensor logM = Ops.affine(Ops.add(Ops.log(Ops.sumTo(Ops.exp(Ops.sub(logp, c)), 1, n, k)), c), 1f,
                (float) -Math.log(3));
        return Ops.affine(Ops.sum(Ops.mul(Ops.exp(logp), Ops.sub(logp, logM))), 1f / (3f * n), 0f);
    }

    /** log softmax over the last dimension of (rows, k). */
    static Tensor logSoftmax(Tensor x) {
        int k = x.dim(-1), rows = (int) (x.numel() / k);
        float[] v = x.toFloatArray(), max = new float[rows];
        for (int r = 0; r < rows; r++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) m = Math.max(m, v[r * k + j]);
            max[r] = m;
        }
        Tensor z = Ops.sub(x.reshape(rows, k), Tensor.of(x.backend(), max, rows, 1));
        return Ops.sub(z, Ops.log(Ops.sumTo(Ops.exp(z), rows, 1)));
    }
}
