package org.archrepair.repair.baselines;

import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Normalization;

/**
 * From uint8 or [0, 1] float images (C, H, W) to the network's normalized input, (p / 255 - mean) /
 * std per channel in float32 as the loaders compute it, so a clean image gives the same bits here
 * and in {@link org.archrepair.models.data.BatchLoader}.
 */
final class Pixels {
    private final float[] mean, std, lut;
    final int channels, height, width;

    Pixels(Normalization n, ImageDataset like) {
        if (n.channels() != like.channels())
            throw new IllegalArgumentException("normalization " + n.name() + " has " + n.channels() + " channels, "
                    + like.name() + " has " + like.channels());
        this.mean = n.mean();
        this.std = n.std();
        this.lut = n.table();
        this.channels = like.channels();
        this.height = like.height();
        this.width = like.width();
    }

    int size() {
        return channels * height * width;
    }

    /** uint8 image (C, H, W) into dst at off, normalized. */
    void put(byte[] img, float[] dst, int off) {
        int plane = height * width;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < plane; i++) dst[off + c * plane + i] = lut[c * 256 + (img[c * plane + i] & 0xff)];
    }

    /** [0, 1] image (C, H, W) into dst at off, normalized. */
    void put(float[] unit, float[] dst, int off) {
        int plane = height * width;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < plane; i++) dst[off + c * plane + i] = (unit[c * plane + i] - mean[c]) / std[c];
    }
}
