package org.archrepair.models.data;

import java.util.Arrays;

/**
 * Per-channel input normalization as torchvision's ToTensor + Normalize: x = (p / 255 - mean) / std,
 * evaluated in float32 in exactly that order, so values match PyTorch bit for bit. The constants are
 * the ones each family of pretrained models was trained with.
 *
 * <p>What it is not: no augmentation (see {@link Augmentation}); values go to a float[] the caller
 * uploads.
 */
public record Normalization(String name, float[] mean, float[] std) {
    /** akamaster/pytorch_resnet_cifar10 (ResNet-20/32/44/56/110): the ImageNet statistics. */
    public static final Normalization AKAMASTER = new Normalization("akamaster",
            new float[]{0.485f, 0.456f, 0.406f}, new float[]{0.229f, 0.224f, 0.225f});
    /** kuangliu/pytorch-cifar (ResNet-18/34/50/..., DenseNet): CIFAR-10 statistics. */
    public static final Normalization KUANGLIU = new Normalization("kuangliu",
            new float[]{0.4914f, 0.4822f, 0.4465f}, new float[]{0.2023f, 0.1994f, 0.2010f});

    public Normalization {
        if (mean.length != std.length || mean.length == 0)
            throw new IllegalArgumentException(name + ": mean has " + mean.length + " channels, std " + std.length);
        for (float s : std) if (!(s > 0)) throw new IllegalArgumentException(name + ": std must be > 0: " + Arrays.toString(std));
        mean = mean.clone();
        std = std.clone();
    }

    /** Only p / 255, for C channels. */
    public static Normalization unit(int channels) {
        float[] m = new float[channels], s = new float[channels];
        Arrays.fill(s, 1f);
        return new Normalization("unit", m, s);
    }

    public int channels() {
        return mean.length;
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** The normalized value of pixel p (0..255) in channel c. */
    public float apply(int c, int p) {
        return (p / 255f - mean[c]) / std[c];
    }

    /** 256 values per channel, lut[c * 256 + p] = apply(c, p). */
    public float[] table() {
        float[] lut = new float[mean.length * 256];
        for (int c = 0; c < mean.length; c++)
            for (int p = 0; p < 256; p++) lut[c * 256 + p] = apply(c, p);
        return lut;
    }

    /** Normalize one image: src (C, H*W) uint8 at srcOff into dst (C, H*W) float at dstOff; lut from {@link #table}. */
    static void apply(float[] lut, byte[] src, int srcOff, float[] dst, int dstOff, int channels, int plane) {
        for (int c = 0; c < channels; c++) {
            int base = c * 256, s = srcOff + c * plane, d = dstOff + c * plane;
            for (int i = 0; i < plane; i++) dst[d + i] = lut[base + (src[s + i] & 0xff)];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && name.equals(n.name) && Arrays.equals(mean, n.mean)
                && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(mean) * 7 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return name + "(mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ")";
    }
}
