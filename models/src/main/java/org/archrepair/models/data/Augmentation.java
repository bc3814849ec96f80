package org.archrepair.models.data;

import org.archrepair.engine.Rng;

/**
 * Training augmentation as torchvision's RandomCrop(size, padding) + RandomHorizontalFlip(0.5):
 * pad the image with padding zero pixels on every side, cut a window of the original size at a
 * uniformly random offset (0..2*padding in each direction), then mirror it left-right with
 * probability 1/2. Works on uint8 (C, H, W) images before normalization, so padded pixels are
 * black, exactly as in torchvision, and become (0 - mean) / std after {@link Normalization}.
 *
 * <p>Randomness comes from the Rng the caller passes (the loader derives one per batch from the
 * seed, epoch and batch index); per image it draws the row offset, the column offset, then the flip.
 */
public record Augmentation(int padding, boolean horizontalFlip) {
    public static final Augmentation NONE = new Augmentation(0, false);
    /** The standard CIFAR-10 recipe: 4-pixel zero padding, random crop back to 32, random flip. */
    public static final Augmentation CIFAR = new Augmentation(4, true);

    public Augmentation {
        if (padding < 0) throw new IllegalArgumentException("padding must be >= 0, got " + padding);
    }

    public boolean isIdentity() {
        return padding == 0 && !horizontalFlip;
    }

    /** Augment one image: src (C, H, W) uint8 at srcOff into dst (C, H, W) at dstOff. */
    public void apply(byte[] src, int srcOff, byte[] dst, int dstOff, int channels, int height, int width, Rng rng) {
        int dy = padding > 0 ? rng.nextInt(2 * padding + 1) - padding : 0;
        int dx = padding > 0 ? rng.nextInt(2 * padding + 1) - padding : 0;
        boolean flip = horizontalFlip && rng.nextBoolean();
        apply(src, srcOff, dst, dstOff, channels, height, width, dy, dx, flip);
    }

    /**
     * The deterministic part: out(c, y, x) = in(c, y + dy, x') with x' = x + dx, or (W - 1 - x) + dx
     * when flipped; 0 where that falls outside the image. dy, dx in -padding..padding.
     */
    public static void apply(byte[] src, int srcOff, byte[] dst, int dstOff, int channels, int height, int width,
                             int dy, int dx, boolean flip) {
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                int sy = y + dy, row = dstOff + plane + y * width;
                if (sy < 0 || sy >= height) {
                    java.util.Arrays.fill(dst, row, row + width, (byte) 0);
                    continue;
                }
                int srcRow = srcOff + plane + sy * width;
                for (int x = 0; x < width; x++) {
                    int sx = (flip ? width - 1 - x : x) + dx;
                    dst[row + x] = sx >= 0 && sx < width ? src[srcRow + sx] : 0;
                }
            }
        }
    }
}
