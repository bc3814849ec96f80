package org.archrepair.kernels;

/**
 * Shapes of one max or average pooling. x: (n, c, h, w), y: (n, c, p, q) with
 * p = (h + 2 pad - kernel) / stride + 1 (floor mode, as PyTorch's default). Padding is at most
 * half the kernel, as PyTorch requires, so every window overlaps the input.
 */
public record Pool2dSpec(int n, int c, int h, int w, int kernelH, int kernelW, int strideH, int strideW,
                         int padH, int padW) {

    public Pool2dSpec {
        if (n <= 0 || c <= 0 || h <= 0 || w <= 0 || kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0)
            throw new IllegalArgumentException("pool2d: non-positive size or stride");
        if (padH < 0 || padW < 0 || 2 * padH > kernelH || 2 * padW > kernelW)
            throw new IllegalArgumentException("pool2d: padding " + padH + " must be in [0, kernel/2] for kernel "
                    + kernelH);
        if ((h + 2 * padH - kernelH) < 0 || (w + 2 * padW - kernelW) < 0)
            throw new IllegalArgumentException("pool2d: kernel " + kernelH + "x" + kernelW + " larger than padded input "
                    + h + "x" + w);
    }

    public static Pool2dSpec of(int n, int c, int h, int w, int kernel, int stride, int pad) {
        return new Pool2dSpec(n, c, h, w, kernel, kernel, stride, stride, pad, pad);
    }

    public int p() {
        return (h + 2 * padH - kernelH) / strideH + 1;
    }

    public int q() {
        return (w + 2 * padW - kernelW) / strideW + 1;
    }

    public long xLength() {
        return (long) n * c * h * w;
    }

    public long yLength() {
        return (long) n * c * p() * q();
    }
}
