package org.archrepair.repair.data;

import org.archrepair.engine.Rng;
import org.archrepair.models.data.ImageDataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every repair method gets (paper section 4.1, ALGORITHM.md section 2):
 * <ul>
 *   <li>D_fail, the {@link FailureSet} drawn from the source set (D_v, or a corrupted D^c);</li>
 *   <li>D_t, the training set, of which {@code trainSample} is used (all of it, or a seeded
 *       sample when the budget asks for fewer images);</li>
 *   <li>D_repair = D_fail with that sample, split 50/50 into D_train^repair and D_val^repair,
 *       stratified by origin and class (half of each class of D_fail and of D_t on each side);</li>
 *   <li>the held-out evaluation set D_v \ D_fail (the source set without the failures).</li>
 * </ul>
 * Every method of one run sees the same instance, so a table compares them on the same data.
 */
public final class RepairData {
    private final ImageDataset train, source;
    private final FailureSet failures;
    private final int[] trainSample;
    private final long seed;

    /**
     * The two halves of D_repair: weights train on {@code train}, architecture (and early stopping) on
     * {@code val}. Each half starts with its share of D_fail ({@code trainFailures}, {@code
     * valFailures} images), followed by its training images.
     */
    public record Split(ImageDataset train, ImageDataset val, int trainFailures, int valFailures) {
    }

    private RepairData(ImageDataset train, ImageDataset source, FailureSet failures, int[] trainSample, long seed) {
        if (!train.classes().equals(source.classes()))
            throw new IllegalArgumentException(train.name() + " and " + source.name() + " have different classes");
        this.train = train;
        this.source = source;
        this.failures = failures;
        this.trainSample = trainSample;
        this.seed = seed;
    }

    /**
     * D_repair from failures of source and trainImages images of train (all of them when
     * trainImages <= 0 or >= its size), sampled and split with rng.
     */
    public static RepairData of(ImageDataset train, ImageDataset source, FailureSet failures, int trainImages, Rng rng) {
        int n = train.size();
        int[] sample;
        if (trainImages <= 0 || trainImages >= n) {
            sample = new int[n];
            for (int i = 0; i < n; i++) sample[i] = i;
        } else {
            sample = Arrays.copyOf(rng.fork("train-sample").permutation(n), trainImages);
            Arrays.sort(sample);
        }
        return new RepairData(train, source, failures, sample, rng.seed());
    }

    public ImageDataset trainSet() {
        return train;
    }

    public ImageDataset source() {
        return source;
    }

    public FailureSet failureSet() {
        return failures;
    }

    /** Indices into the training set of the images D_repair uses, ascending. */
    public int[] trainSample() {
        return trainSample.clone();
    }

    /** D_fail as images. */
    public ImageDataset failures() {
        return source.subset(source.name() + "-failures", failures.indices());
    }

    /** Indices of the source set that are not failures, ascending: D_v \ D_fail. */
    public int[] heldOutIndices() {
        int[] out = new int[source.size() - failures.size()];
        int k = 0;
        for (int i = 0; i < source.size(); i++) if (!failures.contains(i)) out[k++] = i;
        return out;
    }

    /** D_v \ D_fail as images: where before and after are measured. */
    public ImageDataset heldOut() {
        return source.subset(source.name() + "-heldout", heldOutIndices());
    }

    /** D_repair = D_fail followed by the training sample. */
    public ImageDataset repairSet() {
        return ImageDataset.concat("repair", List.of(failures(), train.subset(train.name() + "-sample", trainSample)));
    }

    /** The stratified 50/50 split of D_repair (same seed, same split). */
    public Split split() {
        Rng rng = new Rng(seed).fork("split");
        List<int[]> fail = halves(source, failures.indices(), rng.fork("failures"));
        List<int[]> rest = halves(train, trainSample, rng.fork("train"));
        return new Split(part("repair-train", fail.get(0), rest.get(0)), part("repair-val", fail.get(1), rest.get(1)),
                fail.get(0).length, fail.get(1).length);
    }

    private ImageDataset part(String name, int[] failIdx, int[] trainIdx) {
        return ImageDataset.concat(name, List.of(source.subset(name + "-failures", failIdx),
                train.subset(name + "-train", trainIdx)));
    }

    /** Each class's indices shuffled and cut in two (the odd one to the first half). */
    private static List<int[]> halves(ImageDataset set, int[] indices, Rng rng) {
        int classes = set.classes().size();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) byClass.add(new ArrayList<>());
        for (int i : indices) byClass.get(set.label(i)).add(i);
        List<Integer> a = new ArrayList<>(), b = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Integer> pool = byClass.get(c);
            int[] order = rng.fork("class/" + c).permutation(pool.size());
            for (int k = 0; k < order.length; k++) (k < (order.length + 1) / 2 ? a : b).add(pool.get(order[k]));
        }
        return List.of(a.stream().mapToInt(Integer::intValue).sorted().toArray(),
                b.stream().mapToInt(Integer::intValue).sorted().toArray());
    }

    /** What a report records so the data can be rebuilt: sources, hashes, sizes, failure indices, seed. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("source", source.name());
        m.put("source_sha256", source.sha256());
        m.put("train", train.name());
        m.put("train_sha256", train.sha256());
        m.put("train_images", trainSample.length);
        m.put("held_out_images", source.size() - failures.size());
        m.put("failures", failures.toJson());
        return m;
    }
}
