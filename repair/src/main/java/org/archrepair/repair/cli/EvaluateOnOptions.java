package org.archrepair.repair.cli;

import org.archrepair.kernels.Backend;
import org.archrepair.models.data.CorruptionFolder;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.repair.eval.Accuracy;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** --evaluate-on (repair and compare): which sets scenario 2 measures before and after besides its source. */
public final class EvaluateOnOptions {
    @Option(names = "--evaluate-on", paramLabel = "NAME", split = ",",
            description = "With --scenario corruption: other corruptions of --corruptions to measure before and after "
                    + "(names, or all); the clean test set is always measured.")
    List<String> evaluateOn = List.of();

    /** --evaluate-on only with --scenario corruption (scenario 1 measures the test set and nothing else). */
    void check(FailureOptions f) {
        if (!evaluateOn.isEmpty() && !"corruption".equals(f.scenario))
            throw new IllegalArgumentException("--evaluate-on " + String.join(",", evaluateOn)
                    + " needs --scenario corruption (with --corruption and --corruptions)");
    }

    /**
     * The original subject measured on the clean test set (its accuracy there already known:
     * cleanAccuracy) and on the --evaluate-on corruptions other than the repaired one; none in
     * scenario 1.
     */
    Robustness before(Subject subject, Backend backend, FailureOptions f, FailureOptions.Sources s, Accuracy cleanAccuracy,
                      long seed) throws IOException {
        if (!s.corrupted()) return Robustness.NONE;
        Map<String, Robustness.Set> sets = new LinkedHashMap<>();
        Map<String, Double> before = new LinkedHashMap<>();
        sets.put("clean", s::clean);
        before.put("clean", cleanAccuracy.accuracy());
        List<String> names = evaluateOn.equals(List.of("all")) ? CorruptionFolder.corruptions(f.corruptions) : evaluateOn;
        for (String name : names) {
            if (name.equals(f.corruption)) continue;
            Robustness.Set set = () -> corrupted(f, s.clean(), name);
            sets.put(name, set);
            before.put(name, FailureOptions.evaluate(subject, backend, set.load(), seed).accuracy());
        }
        return new Robustness(sets, before);
    }

    private static ImageDataset corrupted(FailureOptions f, ImageDataset clean, String name) throws IOException {
        return CorruptionFolder.load(f.corruptions, name, clean.classes()).images();
    }
}
