package org.archrepair.kernels.cpu.ref;

/** Scalar reference softmax and mean softmax cross-entropy. */
public final class LossRef {
    private LossRef() {
    }

    /** y = exp(x - max) / sum exp(x - max), row-wise */
    public static void softmax(int rows, int cols, float[] x, float[] y) {
        for (int r = 0; r < rows; r++) {
            int b = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[b + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[b + j] - max);
                y[b + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) y[b + j] *= inv;
        }
    }

    /** dx = y * (dy - sum_j dy_j y_j) */
    public static void softmaxBackward(int rows, int cols, float[] y, float[] dy, float[] dx) {
        for (int r = 0; r < rows; r++) {
            int b = r * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) dot += (double) dy[b + j] * y[b + j];
            for (int j = 0; j < cols; j++) dx[b + j] = y[b + j] * (dy[b + j] - (float) dot);
        }
    }

    /** loss = -(1/rows) sum_r log softmax(logits_r)[label_r]; labels in [0, cols) ({@link #checkLabels}). */
    public static void crossEntropy(int rows, int cols, float[] logits, int[] labels, float[] probs, float[] loss) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int label = labels[r];
            int b = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, logits[b + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.exp(logits[b + j] - max);
            double logSum = Math.log(sum);
            for (int j = 0; j < cols; j++) probs[b + j] = (float) Math.exp(logits[b + j] - max - logSum);
            total += logSum - (logits[b + label] - max);
        }
        loss[0] = (float) (total / rows);
    }

    /** Every label in [0, cols), or an error naming the first row that is not. */
    public static void checkLabels(int rows, int cols, int[] labels) {
        for (int r = 0; r < rows; r++)
            if (labels[r] < 0 || labels[r] >= cols)
                throw new IllegalArgumentException("cross-entropy: label " + labels[r] + " of row " + r
                        + " is outside [0, " + cols + ")");
    }

    /** dlogits = dloss (probs - onehot) / rows */
    public static void crossEntropyBackward(int rows, int cols, float[] probs, int[] labels, float dloss,
                                            float[] dlogits) {
        float scale = dloss / rows;
        for (int r = 0; r < rows; r++) {
            int b = r * cols;
            for (int j = 0; j < cols; j++) dlogits[b + j] = scale * (probs[b + j] - (j == labels[r] ? 1f : 0f));
        }
    }
}
