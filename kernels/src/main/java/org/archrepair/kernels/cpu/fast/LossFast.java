package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;

/**
 * Row-parallel softmax and mean softmax cross-entropy over (rows, cols), row-major. exp runs on
 * float vectors ({@link VectorOperators#EXP}, within an ulp or so of {@code Math.exp}); each row's
 * sum of exponentials is accumulated in double, one vector at a time. Rows are independent, and the
 * loss adds the rows' terms in row order after the parallel part, so any thread count gives the
 * same bits. The backward passes stay scalar ({@code LossRef}): one multiply-add per element.
 *
 * <p>What this is not: a log-softmax primitive; the loss keeps the probabilities for its backward.
 */
public final class LossFast {
    private static final int GRAIN = 4;   // rows per worker at least

    private LossFast() {
    }

    /** y = exp(x - max) / sum exp(x - max), row-wise. x, y: (rows, cols). */
    public static void softmax(Parallel par, int rows, int cols, float[] x, float[] y) {
        par.forRange(rows, GRAIN, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int b = r * cols;
                softmaxRow(x, b, cols, rowMax(x, b, cols), y);
            }
        });
    }

    /**
     * loss = -(1/rows) sum_r log softmax(logits_r)[label_r]; probs = softmax(logits).
     * logits, probs: (rows, cols); labels: (rows), each in [0, cols) (checked by the caller).
     */
    public static void crossEntropy(Parallel par, int rows, int cols, float[] logits, int[] labels, float[] probs,
                                    float[] loss) {
        double[] terms = new double[rows];                           // -log p(label) of each row
        par.forRange(rows, GRAIN, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int b = r * cols;
                float max = rowMax(logits, b, cols);
                double sum = softmaxRow(logits, b, cols, max, probs);
                terms[r] = Math.log(sum) - (logits[b + labels[r]] - max);
            }
        });
        double total = 0;
        for (double t : terms) total += t;
        loss[0] = (float) (total / rows);
    }

    /** y[b ..] = softmax of the row x[b ..] given its maximum; returns the sum of exp(x - max). */
    private static double softmaxRow(float[] x, int b, int cols, float max, float[] y) {
        double sum = expShifted(x, b, cols, max, y);
        scale(y, b, cols, (float) (1.0 / sum));
        return sum;
    }

    private static float rowMax(float[] x, int b, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) max = Math.max(max, x[b + j]);
        return max;
    }

    /** y[b ..] = exp(x[b ..] - max) over one row; returns their sum. */
    private static double expShifted(float[] x, int b, int cols, float max, float[] y) {
        double sum = 0;
        for (int j = 0; j < cols; j += L) {
            if (j + L <= cols) {
                FloatVector e = FloatVector.fromArray(F, x, b + j).sub(max).lanewise(VectorOperators.EXP);
                e.intoArray(y, b + j);
                sum += Sums.lanes(e);
            } else {
                VectorMask<Float> m = F.indexInRange(j, cols);
                FloatVector e = FloatVector.fromArray(F, x, b + j, m).sub(max).lanewise(VectorOperators.EXP);
                e.intoArray(y, b + j, m);
                sum += Sums.lanes(FloatVector.zero(F).blend(e, m));   // lanes past the row are not summed
            }
        }
        return sum;
    }

    private static void scale(float[] y, int b, int cols, float s) {
        int j = 0;
        for (; j + L <= cols; j += L) FloatVector.fromArray(F, y, b + j).mul(s).intoArray(y, b + j);
        for (; j < cols; j++) y[b + j] *= s;
    }
}
