package org.archrepair.repair.corrupt;

import org.archrepair.engine.Rng;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Network;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.CorruptionFolder;
import org.archrepair.models.data.Normalization;
import org.archrepair.repair.eval.Accuracy;
import org.archrepair.repair.eval.Evaluator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Evaluates a network on every corruption of a folder in the CIFAR-10-C layout (ours or the
 * published files), one corruption in memory at a time, and counts correct predictions per
 * severity.
 */
public final class RobustnessEvaluation {
    private RobustnessEvaluation() {
    }

    /**
     * progress: for each corruption (name, image count) a consumer of batch sizes; it is closed by
     * the caller's own means (the command line draws a bar per corruption).
     */
    public static RobustnessReport run(String model, Network net, Backend backend, Normalization normalization,
                                       int batch, long seed, Path folder, List<String> classes, double cleanAccuracy,
                                       Function<CorruptionFolder.Corrupted, IntConsumer> progress) throws IOException {
        Map<String, int[]> correct = new LinkedHashMap<>(), total = new LinkedHashMap<>();
        List<Integer> severities = null;
        for (String name : CorruptionFolder.corruptions(folder)) {
            CorruptionFolder.Corrupted set = CorruptionFolder.load(folder, name, classes);
            if (severities == null) severities = set.severities();
            else if (!severities.equals(set.severities()))
                throw new IOException(folder + ": " + name + " has severities " + set.severities() + ", the others " + severities);
            BatchLoader loader = new BatchLoader(set.images(), BatchLoader.Config.eval(batch, normalization), new Rng(seed));
            Accuracy acc = Evaluator.evaluate(net, loader, backend, progress.apply(set));
            int[] c = new int[severities.size()], t = new int[severities.size()];
            int[] labels = acc.labels(), predictions = acc.predictions();
            for (int i = 0; i < labels.length; i++) {
                int j = severities.indexOf(set.severityOf()[i]);
                t[j]++;
                if (labels[i] == predictions[i]) c[j]++;
            }
            correct.put(name, c);
            total.put(name, t);
        }
        return new RobustnessReport(model, folder.toString(), cleanAccuracy, severities, correct, total);
    }
}
