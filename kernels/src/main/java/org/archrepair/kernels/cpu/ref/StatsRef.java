package org.archrepair.kernels.cpu.ref;

/**
 * Scalar reference of the statistics a training loop keeps on the device: the sum of squares of a
 * gradient (for its norm), the clipping factor applied from it, and the row argmax and the count of
 * correct predictions. Not the loss itself (see {@link LossRef}).
 */
public final class StatsRef {
    private StatsRef() {
    }

    /** acc[0] += sum x^2, the sum taken in double and rounded once. */
    public static void sumOfSquares(float[] x, float[] acc) {
        acc[0] += (float) ElementwiseRef.dot(x, x);
    }

    /** The factor min(1, maxNorm / (sqrt(sumOfSquares) + 1e-6)) in float, as every backend computes it. */
    public static float clipFactor(float sumOfSquares, float maxNorm) {
        float f = maxNorm / ((float) Math.sqrt(sumOfSquares) + 1e-6f);
        return f < 1f ? f : 1f;
    }

    /** y = x * factor. */
    public static void scale(float[] x, float[] y, float factor) {
        for (int i = 0; i < x.length; i++) y[i] = x[i] * factor;
    }

    /** The first column of row r holding its maximum, moving only on a strictly greater value. */
    public static int argmax(float[] x, int r, int cols) {
        int b = r * cols, best = 0;
        for (int j = 1; j < cols; j++) if (x[b + j] > x[b + best]) best = j;
        return best;
    }

    public static void argmaxRows(int rows, int cols, float[] x, int[] out, int outOffset) {
        for (int r = 0; r < rows; r++) out[outOffset + r] = argmax(x, r, cols);
    }

    /** count[0] += rows whose argmax is their label. */
    public static void countCorrect(int rows, int cols, float[] x, int[] labels, int[] count) {
        int correct = 0;
        for (int r = 0; r < rows; r++) if (argmax(x, r, cols) == labels[r]) correct++;
        count[0] += correct;
    }
}
