package org.archrepair.models.data;

import org.archrepair.engine.Rng;

/**
 * Turns an {@link ImageDataset} into mini-batches: a per-epoch order (shuffled from the seed, or
 * the dataset order), optional drop-last, augmentation and normalization. Batch k of epoch e is a
 * pure function of (seed, e, k): its order comes from rng.fork("order/e") and its augmentation
 * from rng.fork("augment/e/k"), so the sequence is bitwise identical whether batches are prepared
 * in the background ({@link #epoch}) or on the caller's thread ({@link #batch}), fast or slow.
 *
 * <p>What it is not: no device upload, no sampling with replacement, no class balancing.
 */
public final class BatchLoader {
    /**
     * How to batch: batch size, shuffle each epoch, drop a last incomplete batch, the augmentation
     * (Augmentation.NONE for evaluation), the normalization, and how many batches the background
     * producer may prepare ahead (0 = prepare on the consumer's thread).
     */
    public record Config(int batchSize, boolean shuffle, boolean dropLast, Augmentation augmentation,
                         Normalization normalization, int prefetch) {
        public Config {
            if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            if (prefetch < 0) throw new IllegalArgumentException("prefetch must be >= 0, got " + prefetch);
        }

        /** Training: shuffled, CIFAR augmentation, last incomplete batch kept, 3 batches ahead. */
        public static Config train(int batchSize, Normalization normalization) {
            return new Config(batchSize, true, false, Augmentation.CIFAR, normalization, 3);
        }

        /** Evaluation: dataset order, no augmentation, every image once. */
        public static Config eval(int batchSize, Normalization normalization) {
            return new Config(batchSize, false, false, Augmentation.NONE, normalization, 3);
        }

        public Config withPrefetch(int n) {
            return new Config(batchSize, shuffle, dropLast, augmentation, normalization, n);
        }
    }

    private final ImageDataset data;
    private final Config config;
    private final Rng rng;
    private final float[] lut;

    /** rng: the loader's own stream, e.g. root.fork("data/train"); only its seed is used. */
    public BatchLoader(ImageDataset data, Config config, Rng rng) {
        if (config.normalization().channels() != data.channels())
            throw new IllegalArgumentException("normalization " + config.normalization().name() + " has "
                    + config.normalization().channels() + " channels, " + data.name() + " has " + data.channels());
        if (config.dropLast() && data.size() < config.batchSize())
            throw new IllegalArgumentException(data.name() + " has " + data.size() + " images, fewer than one batch of "
                    + config.batchSize() + " with drop-last");
        this.data = data;
        this.config = config;
        this.rng = rng;
        this.lut = config.normalization().table();
    }

    public ImageDataset dataset() {
        return data;
    }

    public Config config() {
        return config;
    }

    public int batchesPerEpoch() {
        int n = data.size(), b = config.batchSize();
        return config.dropLast() ? n / b : (n + b - 1) / b;
    }

    /** The dataset indices in the order epoch e visits them, (N). */
    public int[] order(int epoch) {
        if (!config.shuffle()) {
            int[] o = new int[data.size()];
            for (int i = 0; i < o.length; i++) o[i] = i;
            return o;
        }
        return rng.fork("order/" + epoch).permutation(data.size());
    }

    /** The batches of epoch e, prepared ahead on a background thread; close it to stop early. */
    public BatchStream epoch(int epoch) {
        int[] order = order(epoch);
        return new BatchStream(epoch, batchesPerEpoch(), k -> batch(epoch, k, order), config.prefetch());
    }

    /** Batch k of epoch e, computed on this thread (the same values {@link #epoch} yields). */
    public Batch batch(int epoch, int k) {
        return batch(epoch, k, order(epoch));
    }

    Batch batch(int epoch, int k, int[] order) {
        int b = config.batchSize(), count = batchesPerEpoch();
        if (k < 0 || k >= count) throw new IndexOutOfBoundsException("batch " + k + " of " + count);
        int from = k * b, n = Math.min(b, data.size() - from);
        int per = data.imageBytes(), plane = data.height() * data.width();
        int[] indices = java.util.Arrays.copyOfRange(order, from, from + n);
        int[] labels = new int[n];
        float[] images = new float[n * per];   // (n, C, H, W)
        byte[] raw = new byte[per], aug = new byte[per];
        Augmentation a = config.augmentation();
        Rng r = a.isIdentity() ? null : rng.fork("augment/" + epoch + "/" + k);
        for (int i = 0; i < n; i++) {
            data.copyImage(indices[i], raw, 0);
            byte[] img = raw;
            if (r != null) {
                a.apply(raw, 0, aug, 0, data.channels(), data.height(), data.width(), r);
                img = aug;
            }
            Normalization.apply(lut, img, 0, images, i * per, data.channels(), plane);
            labels[i] = data.label(indices[i]);
        }
        return new Batch(epoch, k, images, labels, indices, data.channels(), data.height(), data.width());
    }
}
