package org.archrepair.bench;

import org.archrepair.engine.Rng;
import org.archrepair.models.data.Batch;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.Cifar10;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Normalization;
import org.archrepair.models.data.Split;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One fixed batch of CIFAR-10-shaped inputs for the end-to-end benchmarks and the ResNet-20
 * oracle: images (n, 3, 32, 32) float32 and labels (n) in 0..9, plus a word on where they came
 * from. Real data: the first n images of the CIFAR-10 test set, normalized with the ImageNet
 * statistics the pretrained ResNet-20 expects (x / 255 - mean) / std, found under the folder named by
 * the system property {@code archrepair.data} (default {@code ../shared/data}, the tests' setting).
 *
 * <p>What this is not: a data loader (no shuffling or augmentation; see {@code BatchLoader}).
 */
public record ImageBatch(String source, float[] images, int[] labels) {
    public static final int CHANNELS = 3, SIDE = 32;

    public int size() {
        return labels.length;
    }

    /** {n, 3, 32, 32} */
    public long[] shape() {
        return new long[]{size(), CHANNELS, SIDE, SIDE};
    }

    /** The folder that holds {@code cifar10/} and {@code pretrained/}. */
    public static Path dataRoot() {
        return Path.of(System.getProperty("archrepair.data", "../shared/data"));
    }

    /** The first n test images, normalized; empty when the CIFAR-10 test batch is not under root. */
    public static Optional<ImageBatch> cifar10(Path root, int n) throws IOException {
        Path folder = root.resolve("cifar10");
        if (!Files.exists(folder.resolve(Cifar10.TEST_FILE)) && !Files.exists(folder.resolve(Cifar10.TEST_FILE + ".gz")))
            return Optional.empty();
        ImageDataset test = Cifar10.load(folder, Split.TEST);
        BatchLoader loader = new BatchLoader(test,
                BatchLoader.Config.eval(n, Normalization.AKAMASTER).withPrefetch(0), new Rng(0));
        Batch b = loader.batch(0, 0);
        return Optional.of(new ImageBatch("CIFAR-10 test images 0.." + (n - 1) + " (" + folder + ")", b.images(),
                b.labels()));
    }

    /** Seeded N(0, 1) images (about the scale of normalized pixels) and uniform labels. */
    public static ImageBatch random(long seed, int n) {
        return new ImageBatch("seeded random N(0, 1) images, seed " + seed,
                Data.gaussian(seed, n * CHANNELS * SIDE * SIDE, 1f), Data.labels(seed + 1, n, Cifar10.CLASSES));
    }

    /** Real images when the data is there, else seeded random ones (the benchmarks run either way). */
    public static ImageBatch cifar10OrRandom(int n) throws IOException {
        return cifar10(dataRoot(), n).orElseGet(() -> random(1, n));
    }
}
