package org.archrepair.repair.baselines;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.autograd.Gradients;
import org.archrepair.engine.optim.Adam;
import org.archrepair.engine.Rng;
import org.archrepair.kernels.Backend;

import java.util.List;

/**
 * MODE's layer selection by feature-head probing (Forward_Layer_Select): for each probe point in
 * forward order (the output of every candidate block, globally pooled), a new softmax head is
 * trained on the frozen features of D_train^repair and predicts D_val^repair; the target layer is
 * the first whose prediction matrix is within the threshold (Bhattacharyya distance) of the
 * previous point's (the first point is compared with a matrix of ones, as the replication does),
 * or the last point when none is. Heads: Adam (lr 0.01), full batch, {@link #STEPS} steps, from small
 * random weights (the replication: a Keras Dense softmax layer fitted with Adam for a few epochs).
 */
final class LayerProbe {
    static final int STEPS = 100;

    private LayerProbe() {
    }

    /** Where the probing stopped, with every point's distance to its predecessor. */
    record Choice(int index, double[] distances) {
    }

    /** Index of the target among the points; train and val features (n, d) per point, labels of each set. */
    static Choice choose(List<float[]> trainFeatures, List<float[]> valFeatures, int[] dims, int[] trainLabels,
                         int valSize, int classes, double threshold, Backend be, Rng rng) {
        float[] last = null;
        double[] distances = new double[trainFeatures.size()];
        for (int p = 0; p < trainFeatures.size(); p++) {
            float[] probs = head(trainFeatures.get(p), valFeatures.get(p), dims[p], trainLabels, valSize, classes, be,
                    rng.fork("head/" + p));
            if (last == null) {
                last = new float[probs.length];
                java.util.Arrays.fill(last, 1f);
            }
            distances[p] = ModeAnalysis.bhattacharyya(probs, last);
            if (distances[p] <= threshold) return new Choice(p, java.util.Arrays.copyOf(distances, p + 1));
            last = probs;
        }
        return new Choice(trainFeatures.size() - 1, distances);
    }

    /** Softmax probabilities (valSize, classes) of a head trained on (train, labels). */
    static float[] head(float[] train, float[] val, int d, int[] labels, int valSize, int classes, Backend be, Rng rng) {
        int n = labels.length;
        Tensor w = Tensor.of(be, rng.normal(classes * d, 0.01f), classes, d).setRequiresGrad(true);
        Tensor b = Tensor.zeros(be, classes).setRequiresGrad(true);
        Adam adam = new Adam(List.of(w, b), 0.01, 0.9, 0.999, 0);
        Tensor x = Tensor.of(be, train, n, d), y = Tensor.ofInts(be, labels, n);
        for (int s = 0; s < STEPS; s++) {
            Tensor loss = Ops.crossEntropy(Ops.linear(x, w, b), y);
            Gradients g = Autograd.grad(loss, List.of(w, b));
            adam.step(g);
        }
        try (var ignored = Autograd.noGrad()) {
            return Ops.softmax(Ops.linear(Tensor.of(be, val, valSize, d), w, b)).toFloatArray();
        }
    }
}
