package org.archrepair.kernels;

/**
 * Shapes and hyper-parameters of one 2-D convolution (cross-correlation, as in PyTorch).
 *
 * <pre>
 * x: (n, c, h, w)   w: (k, c / groups, r, s)   y: (n, k, p, q)
 * p = (h + 2 padH - dilH (r - 1) - 1) / strideH + 1, likewise q
 * </pre>
 *
 * Depthwise convolution is {@code groups == c == k}; a separable conv is a depthwise conv followed by
 * a 1x1 conv, so both are this one primitive.
 */
public record Conv2dSpec(int n, int c, int h, int w, int k, int r, int s,
                         int strideH, int strideW, int padH, int padW, int dilH, int dilW, int groups) {

    public Conv2dSpec {
        if (n <= 0 || c <= 0 || h <= 0 || w <= 0 || k <= 0 || r <= 0 || s <= 0)
            throw new IllegalArgumentException("conv2d: non-positive size in " + describe(n, c, h, w, k, r, s));
        if (strideH <= 0 || strideW <= 0 || dilH <= 0 || dilW <= 0 || padH < 0 || padW < 0)
            throw new IllegalArgumentException("conv2d: stride/dilation must be > 0 and padding >= 0");
        if (groups <= 0 || c % groups != 0 || k % groups != 0)
            throw new IllegalArgumentException("conv2d: groups=" + groups + " must divide in-channels " + c
                    + " and out-channels " + k);
        int p = (h + 2 * padH - dilH * (r - 1) - 1) / strideH + 1;
        int q = (w + 2 * padW - dilW * (s - 1) - 1) / strideW + 1;
        if (p <= 0 || q <= 0)
            throw new IllegalArgumentException("conv2d: kernel " + r + "x" + s + " (dilation " + dilH
                    + ") does not fit input " + h + "x" + w + " with padding " + padH);
    }

    /** Square kernel, same stride/padding/dilation in both directions. */
    public static Conv2dSpec of(int n, int c, int h, int w, int k, int kernel, int stride, int pad, int dilation,
                                int groups) {
        return new Conv2dSpec(n, c, h, w, k, kernel, kernel, stride, stride, pad, pad, dilation, dilation, groups);
    }

    /** Output height. */
    public int p() {
        return (h + 2 * padH - dilH * (r - 1) - 1) / strideH + 1;
    }

    /** Output width. */
    public int q() {
        return (w + 2 * padW - dilW * (s - 1) - 1) / strideW + 1;
    }

    public long xLength() {
        return (long) n * c * h * w;
    }

    public long wLength() {
        return (long) k * (c / groups) * r * s;
    }

    public long yLength() {
        return (long) n * k * p() * q();
    }

    /** Multiply-accumulates of the forward pass. */
    public long macs() {
        return (long) n * k * p() * q() * (c / groups) * r * s;
    }

    public boolean isDepthwise() {
        return groups == c && groups == k;
    }

    private static String describe(int n, int c, int h, int w, int k, int r, int s) {
        return "x(" + n + "," + c + "," + h + "," + w + ") w(" + k + ",*," + r + "," + s + ")";
    }

    @Override
    public String toString() {
        return "conv2d x(" + n + "," + c + "," + h + "," + w + ") w(" + k + "," + (c / groups) + "," + r + "," + s
                + ") stride " + strideH + " pad " + padH + " dil " + dilH + " groups " + groups;
    }
}
