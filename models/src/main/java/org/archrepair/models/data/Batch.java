package org.archrepair.models.data;

/**
 * One mini-batch as the loader hands it out: images (N, C, H, W) float32, normalized; labels (N);
 * the dataset indices the images came from (N), so failures can be traced back; and where it sits
 * (epoch, index within the epoch).
 */
public record Batch(int epoch, int index, float[] images, int[] labels, int[] indices, int channels, int height,
                    int width) {
    public int size() {
        return labels.length;
    }

    /** The image tensor's shape: {N, C, H, W}. */
    public int[] shape() {
        return new int[]{labels.length, channels, height, width};
    }
}
