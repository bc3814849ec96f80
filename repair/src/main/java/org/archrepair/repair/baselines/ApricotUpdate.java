package org.archrepair.repair.baselines;

/**
 * Apricot's weight adjustment for one input the model gets wrong (Zhang and Chan, ASE 2019;
 * re-implementation coinse/arachne: apricot/weight_adjust.py, AdjustWeights with 'both-org'): with
 * the reduced models split by whether they classify the input correctly (n_c of them, mean weights
 * w_c) or not (n_i, mean w_i), p_c = n_c / (n_c + n_i), p_i = n_i / (n_c + n_i),
 * <pre>
 *   w <- w + sign * eta * (p_c (w - w_c) - p_i (w - w_i)),
 * </pre>
 * sign = +1 in the re-implementation's code (which moves w away from the correct models' mean) and
 * -1 in the form the paper's intent suggests (toward it). Skipped when either side is empty.
 */
final class ApricotUpdate {
    private ApricotUpdate() {
    }

    /**
     * Adjust w (P) in place from the reduced models' weights (R, P) and which of them are right on
     * the input; false when skipped (all right or all wrong).
     */
    static boolean adjust(float[] w, float[][] reduced, boolean[] right, double eta, ApricotMethod.Sign sign) {
        int nc = 0, ni = 0;
        for (boolean r : right) {
            if (r) nc++;
            else ni++;
        }
        if (nc == 0 || ni == 0) return false;
        double pc = (double) nc / (nc + ni), pi = (double) ni / (nc + ni);
        double[] meanC = new double[w.length], meanI = new double[w.length];
        for (int m = 0; m < reduced.length; m++) {
            double[] target = right[m] ? meanC : meanI;
            float[] r = reduced[m];
            for (int j = 0; j < w.length; j++) target[j] += r[j];
        }
        for (int j = 0; j < w.length; j++) {
            double wc = meanC[j] / nc, wi = meanI[j] / ni;
            w[j] = (float) (w[j] + sign.value() * eta * (pc * (w[j] - wc) - pi * (w[j] - wi)));
        }
        return true;
    }
}
