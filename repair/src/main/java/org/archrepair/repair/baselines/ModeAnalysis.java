package org.archrepair.repair.baselines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * MODE's diagnosis (Ma et al., FSE 2018; the replication fabriceyhc/mode_nn_debugging:
 * py/layer_selection.py, heatmap.py, input_selection.py, distance_metrics.py), as pure functions
 * over predictions and feature vectors: which labels under- or over-fit, the heat maps of a label
 * at the target layer and their differential map, the inputs a batch should favour, and the
 * Bhattacharyya distance of two prediction matrices.
 */
final class ModeAnalysis {
    /** What is wrong with a label: nothing, under-fitting (low training accuracy) or over-fitting (train - test gap). */
    enum State { OK, UNDERFIT, OVERFIT }

    static final double UNDERFIT_BELOW = 0.9, OVERFIT_GAP = 0.1;

    private ModeAnalysis() {
    }

    /** get_underfit_labels (train accuracy < 0.9) first, then get_overfit_labels (train - test > 0.1). */
    static State classify(double trainAccuracy, double testAccuracy) {
        if (trainAccuracy < UNDERFIT_BELOW) return State.UNDERFIT;
        if (trainAccuracy - testAccuracy > OVERFIT_GAP) return State.OVERFIT;
        return State.OK;
    }

    /** Accuracy per true label (NaN for a label without examples). */
    static double[] perLabel(int[] labels, int[] predictions, int classes) {
        int[] total = new int[classes], right = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            total[labels[i]]++;
            if (predictions[i] == labels[i]) right[labels[i]]++;
        }
        double[] acc = new double[classes];
        for (int c = 0; c < classes; c++) acc[c] = total[c] == 0 ? Double.NaN : (double) right[c] / total[c];
        return acc;
    }

    /**
     * The three heat maps of label c over features (n, d): HCI, the mean of c's correctly
     * classified inputs; HMI, of inputs misclassified as c; HWI, of c's misclassified inputs. A map
     * of an empty set is null.
     */
    static double[][] heatMaps(float[] features, int d, int[] labels, int[] predictions, int c) {
        double[][] sum = new double[3][d];
        int[] count = new int[3];
        for (int i = 0; i < labels.length; i++) {
            int which = labels[i] == c && predictions[i] == c ? 0 : predictions[i] == c ? 1 : labels[i] == c ? 2 : -1;
            if (which < 0) continue;
            count[which]++;
            for (int j = 0; j < d; j++) sum[which][j] += features[i * d + j];
        }
        double[][] out = new double[3][];
        for (int m = 0; m < 3; m++) {
            if (count[m] == 0) continue;
            out[m] = new double[d];
            for (int j = 0; j < d; j++) out[m][j] = sum[m][j] / count[m];
        }
        return out;
    }

    /**
     * The differential heat map of a label: (HCI - HMI) + (HCI - HWI), the features that tell its
     * correct inputs from the false positives and from the false negatives; a term whose map is
     * missing is left out; null without HCI or with neither of the others.
     */
    static double[] differential(double[][] maps) {
        if (maps[0] == null || (maps[1] == null && maps[2] == null)) return null;
        double[] out = new double[maps[0].length];
        for (int m = 1; m <= 2; m++)
            if (maps[m] != null) for (int j = 0; j < out.length; j++) out[j] += maps[0][j] - maps[m][j];
        return out;
    }

    /**
     * select_next_inputs: of the candidates (indices into features (n, d)), the fraction whose dot
     * product with the map is largest (under-fitting: most like the map) or smallest (over-fitting:
     * least like it); ties keep the earlier candidate first.
     */
    static int[] select(float[] features, int d, int[] candidates, double[] map, State state, double fraction) {
        double[] score = new double[candidates.length];
        for (int i = 0; i < candidates.length; i++)
            for (int j = 0; j < d; j++) score[i] += features[candidates[i] * d + j] * map[j];
        Integer[] order = new Integer[candidates.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Comparator<Integer> bySimilarity = Comparator.comparingDouble(i -> score[i]);
        Arrays.sort(order, state == State.UNDERFIT ? bySimilarity.reversed() : bySimilarity);
        int keep = (int) Math.ceil(fraction * candidates.length);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < keep; i++) out.add(candidates[order[i]]);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** distance_metrics.bhattacharyya: 1 - sum sqrt(a / sum a * b / sum b) over all entries. */
    static double bhattacharyya(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("Bhattacharyya of " + a.length + " and " + b.length);
        double sa = 0, sb = 0, s = 0;
        for (int i = 0; i < a.length; i++) {
            sa += a[i];
            sb += b[i];
        }
        for (int i = 0; i < a.length; i++) s += Math.sqrt(a[i] / sa * (b[i] / sb));
        return 1 - s;
    }
}
