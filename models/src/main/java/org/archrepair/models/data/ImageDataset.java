package org.archrepair.models.data;

import java.util.Arrays;
import java.util.List;

/**
 * A labelled image dataset held in memory as compact uint8 pixels: N images of C x H x W, CHW
 * (plane by plane, row by row), so CIFAR-10's 50,000 training images take 153.6 MB rather than
 * four times that as floats. Immutable: the arrays are never handed out for writing.
 *
 * <p>What it is not: no augmentation, normalization or batching (see {@link BatchLoader}), and no
 * file format knowledge (see {@link Cifar10}, {@link TinyImageNet}).
 */
public final class ImageDataset {
    private final String name;
    private final byte[] pixels;   // (N, C, H, W) uint8
    private final int[] labels;    // (N), each in 0..classes.size()-1
    private final List<String> classes;
    private final int channels, height, width;

    public ImageDataset(String name, byte[] pixels, int[] labels, List<String> classes, int channels, int height,
                        int width) {
        long per = (long) channels * height * width;
        if (per <= 0) throw new IllegalArgumentException(name + ": empty image shape " + channels + "x" + height + "x" + width);
        if ((long) labels.length * per != pixels.length)
            throw new IllegalArgumentException(name + ": " + labels.length + " labels need " + labels.length * per
                    + " pixel bytes of " + channels + "x" + height + "x" + width + ", got " + pixels.length);
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= classes.size())
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of image " + i + " is not in 0.."
                        + (classes.size() - 1));
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.classes = List.copyOf(classes);
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    public String name() {
        return name;
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Bytes per image: C * H * W. */
    public int imageBytes() {
        return channels * height * width;
    }

    public List<String> classes() {
        return classes;
    }

    public int label(int i) {
        return labels[i];
    }

    /** A copy of all labels, (N). */
    public int[] labels() {
        return labels.clone();
    }

    /** A copy of image i, (C, H, W) uint8. */
    public byte[] image(int i) {
        return Arrays.copyOfRange(pixels, i * imageBytes(), (i + 1) * imageBytes());
    }

    /** Pixel value 0..255 of image i at channel c, row y, column x. */
    public int pixel(int i, int c, int y, int x) {
        return pixels[((i * channels + c) * height + y) * width + x] & 0xff;
    }

    /** Copy image i, (C, H, W) uint8, into dst at offset. */
    public void copyImage(int i, byte[] dst, int offset) {
        System.arraycopy(pixels, i * imageBytes(), dst, offset, imageBytes());
    }

    /** The images at indices, in that order, as a new dataset (repeats allowed). */
    public ImageDataset subset(String subsetName, int[] indices) {
        int per = imageBytes();
        byte[] px = new byte[Math.multiplyExact(indices.length, per)];
        int[] lb = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size())
                throw new IndexOutOfBoundsException(name + ": index " + indices[i] + " of " + size() + " images");
            System.arraycopy(pixels, indices[i] * per, px, i * per, per);
            lb[i] = labels[indices[i]];
        }
        return new ImageDataset(subsetName, px, lb, classes, channels, height, width);
    }

    /** The images of parts one after another; all parts must share classes and image shape. */
    public static ImageDataset concat(String name, List<ImageDataset> parts) {
        ImageDataset first = parts.get(0);
        long total = 0;
        for (ImageDataset p : parts) {
            if (!p.classes.equals(first.classes) || p.channels != first.channels || p.height != first.height
                    || p.width != first.width)
                throw new IllegalArgumentException("concat: " + p + " does not match " + first);
            total += p.size();
        }
        byte[] px = new byte[Math.toIntExact(total * first.imageBytes())];
        int[] lb = new int[(int) total];
        int at = 0;
        for (ImageDataset p : parts) {
            System.arraycopy(p.pixels, 0, px, at * first.imageBytes(), p.pixels.length);
            System.arraycopy(p.labels, 0, lb, at, p.size());
            at += p.size();
        }
        return new ImageDataset(name, px, lb, first.classes, first.channels, first.height, first.width);
    }

    /**
     * SHA-256 of the content (shape, labels, pixels), hex: the same images give the same hash
     * whatever file or compression they came from. Reports record it so a result can be recomputed.
     */
    public String sha256() {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(16 + 4 * labels.length);
            head.putInt(size()).putInt(channels).putInt(height).putInt(width);
            for (int l : labels) head.putInt(l);
            md.update(head.array());
            md.update(pixels);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many images each class has, (classes). */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (int l : labels) counts[l]++;
        return counts;
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images " + channels + "x" + height + "x" + width + ", " + classes.size()
                + " classes)";
    }
}
