package org.archrepair.repair.cli;

import org.archrepair.kernels.Backend;
import org.archrepair.models.data.ImageDataset;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenario 2's further measurements (the paper's section 4.1, Table 5, Figs. 6 and 7): the clean
 * test set and the --evaluate-on corruptions, each with the original model's accuracy, and after a
 * repair the repaired model's beside it (a report's "robustness"). Empty in scenario 1.
 *
 * <p>What it is not: it holds no corrupted set in memory; each is read again when measured (153.6
 * MB for a CIFAR-10 corruption at five severities).
 */
record Robustness(Map<String, Set> sets, Map<String, Double> before) {
    /** Scenario 1: nothing further to measure. */
    static final Robustness NONE = new Robustness(Map.of(), Map.of());

    /** A set to measure, read when it is measured. */
    interface Set {
        ImageDataset load() throws IOException;
    }

    /** subject's accuracy on every set, by name ("clean", a corruption) -> {before, after}. */
    Map<String, double[]> after(Subject subject, Backend backend, long seed) throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (var e : sets.entrySet())
            out.put(e.getKey(), new double[]{before.get(e.getKey()),
                    FailureOptions.evaluate(subject, backend, e.getValue().load(), seed).accuracy()});
        return out;
    }
}
