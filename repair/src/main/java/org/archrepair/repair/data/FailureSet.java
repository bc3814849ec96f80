package org.archrepair.repair.data;

import org.archrepair.engine.Rng;
import org.archrepair.models.data.ImageDataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * D_fail: failures of a model on a source set (the test set in scenario 1, a corrupted set in
 * scenario 2), drawn without replacement, {@code perClass} of each true class where that many
 * exist and all of them where fewer do (the first author's DeepRepair protocol: 100 per class).
 * Indices are into the source set, ascending.
 *
 * @param source    the source set's name
 * @param indices   the sampled failures, ascending
 * @param perClass  how many per class were asked for
 * @param seed      the seed of the sampling stream
 * @param available failures the model has per class, (classes)
 * @param taken     failures taken per class, (classes)
 */
public record FailureSet(String source, int[] indices, int perClass, long seed, int[] available, int[] taken) {

    public FailureSet {
        indices = indices.clone();
        available = available.clone();
        taken = taken.clone();
    }

    /** Sample from the examples of source that predictions (by index) get wrong. */
    public static FailureSet sample(ImageDataset source, int[] predictions, int perClass, Rng rng) {
        if (predictions.length != source.size())
            throw new IllegalArgumentException(predictions.length + " predictions for " + source.size() + " images of "
                    + source.name());
        if (perClass < 1) throw new IllegalArgumentException("failures per class must be >= 1, got " + perClass);
        int classes = source.classes().size();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) byClass.add(new ArrayList<>());
        for (int i = 0; i < predictions.length; i++)
            if (predictions[i] != source.label(i)) byClass.get(source.label(i)).add(i);
        int[] available = new int[classes], taken = new int[classes];
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Integer> pool = byClass.get(c);
            int[] order = rng.fork("class/" + c).permutation(pool.size());
            available[c] = pool.size();
            taken[c] = Math.min(perClass, pool.size());
            for (int i = 0; i < taken[c]; i++) chosen.add(pool.get(order[i]));
        }
        int[] indices = chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new FailureSet(source.name(), indices, perClass, rng.seed(), available, taken);
    }

    public int size() {
        return indices.length;
    }

    /** One line per class that had fewer failures than asked for ("cat: 57 failures, all taken"). */
    public List<String> shortfalls(List<String> classNames) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < taken.length; c++)
            if (taken[c] < perClass) out.add(classNames.get(c) + ": " + available[c] + " failures, fewer than "
                    + perClass + ", all taken");
        return out;
    }

    /** Whether index i of the source set is one of the failures. */
    public boolean contains(int i) {
        return Arrays.binarySearch(indices, i) >= 0;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("per_class", perClass);
        m.put("seed", seed);
        m.put("size", size());
        m.put("available_per_class", available);
        m.put("taken_per_class", taken);
        m.put("indices", indices);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FailureSet f && source.equals(f.source) && perClass == f.perClass && seed == f.seed
                && Arrays.equals(indices, f.indices) && Arrays.equals(available, f.available)
                && Arrays.equals(taken, f.taken);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(indices) * 31 + source.hashCode();
    }

    @Override
    public String toString() {
        return "FailureSet(" + size() + " of " + source + ", " + perClass + " per class, seed " + seed + ")";
    }
}
