package org.archrepair.kernels;

/**
 * Batch normalization over x: (n, c, hw) with per-channel statistics, as PyTorch's BatchNorm2d:
 * {@code y = (x - mean) / sqrt(var + eps) * gamma + beta}. In training mode the batch variance
 * (biased) normalizes and the running estimates move by {@code momentum} towards the batch mean and
 * the <em>unbiased</em> batch variance.
 */
public record BatchNormSpec(int n, int c, int hw, float eps, float momentum) {

    public BatchNormSpec {
        if (n <= 0 || c <= 0 || hw <= 0) throw new IllegalArgumentException("batchnorm: non-positive size");
        if (!(eps > 0f)) throw new IllegalArgumentException("batchnorm: eps must be > 0, got " + eps);
    }

    public static BatchNormSpec of(int n, int c, int hw) {
        return new BatchNormSpec(n, c, hw, 1e-5f, 0.1f);
    }

    public long length() {
        return (long) n * c * hw;
    }
}
