package org.archrepair.kernels;

/**
 * Copy {@code count} channels between two NCHW buffers with the same n and hw:
 * {@code dst[:, dstStart + i] (+)= src[:, srcStart + i]} for i in [0, count). Channel concat, split
 * and their gradients are all this one primitive.
 */
public record ChannelCopySpec(int n, int hw, int srcC, int srcStart, int dstC, int dstStart, int count) {
    public ChannelCopySpec {
        if (n <= 0 || hw <= 0 || count < 0 || srcStart < 0 || dstStart < 0 || srcStart + count > srcC
                || dstStart + count > dstC)
            throw new IllegalArgumentException("channel copy out of range: src " + srcStart + "+" + count + " of "
                    + srcC + ", dst " + dstStart + "+" + count + " of " + dstC);
    }
}
