package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.nn.Linear;
import org.archrepair.engine.nn.Module;
import org.archrepair.models.Network;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.repair.method.EpochLog;
import org.archrepair.repair.method.Outcome;
import org.archrepair.repair.method.RepairContext;
import org.archrepair.repair.method.RepairMethod;
import org.archrepair.repair.method.Target;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Arachne (Sohn, Kang, Yoo, "Arachne: search-based repair of deep neural networks", TOSEM 2023;
 * coinse/arachne: run_localise.py, search/de_vk.py, searcher_vk.py): the model's predictions on
 * D_train^repair give the negatives (wrong) and, per predicted label, as many positives (right) as
 * there are negatives of that label; {@link ArachneLocalizer} picks the weights of the target layer
 * (the last layer by default) on the Pareto front of gradient loss and forward impact; {@link
 * DifferentialEvolution} searches their values, maximizing
 * <pre>
 *   fitness = [N_pos still right + sum_{pos now wrong} 1 / (1 + CE)] + alpha [N_neg fixed + sum_{neg still wrong} 1 / (1 + CE)]
 * </pre>
 * with alpha = 10 (patch_aggr). After every generation the best individual is scored on
 * D_val^repair; the patch with the lowest validation loss is what is applied. Only the localized
 * weights of the target layer change.
 *
 * <p>Budget: no training epochs; at most {@code maxGenerations} (100, the original's) generations
 * of {@code population} (100) candidates with the original's early stop. On the last layer a
 * generation is one GEMM over cached features ({@link LayerPatch.Head}), far less than one
 * epoch of the weight-only levels, so Arachne stays within {@code Budget.totalEpochs()} whatever
 * the budget; for another layer each candidate runs the network from the layer's stage on cached
 * inputs, which can cost more than the budget and is the user's choice.
 *
 * <p>Deviations: generational DE (see {@link DifferentialEvolution}); selection on D_val^repair
 * among the generations' bests (the original applies the final best); negatives and positives come
 * from D_train^repair.
 */
public final class ArachneMethod implements RepairMethod {
    static final double ALPHA = 10;
    private final String layer;            // null: the last Linear
    private final int population, maxGenerations;

    public ArachneMethod(String layer, int population, int maxGenerations) {
        if (population < 4) throw new IllegalArgumentException("Arachne's population must be >= 4, got " + population);
        if (maxGenerations < 1) throw new IllegalArgumentException("Arachne needs >= 1 generation, got " + maxGenerations);
        this.layer = layer;
        this.population = population;
        this.maxGenerations = maxGenerations;
    }

    @Override
    public String name() {
        return "arachne";
    }

    @Override
    public Target target(RepairContext ctx) {
        return new Target("layer", null, layer(ctx.net()), -1);
    }

    /** The flag's layer, or the network's last Linear. */
    String layer(Network net) {
        if (layer != null) {
            ArachneLocalizer.weightOf(net.get(layer));
            return layer;
        }
        String last = lastLinear(net);
        if (last == null) throw new IllegalArgumentException(net.name() + " has no linear layer; give Arachne a layer");
        return last;
    }

    /** The path of the network's last Linear module, or null. */
    static String lastLinear(Network net) {
        String last = null;
        for (Map.Entry<String, Module> e : net.namedModules().entrySet()) if (e.getValue() instanceof Linear) last = e.getKey();
        return last;
    }

    /** The search inputs: negatives, then positives, with labels and which are negative. */
    record Inputs(int[] indices, int[] labels, boolean[] negative) {
        int negatives() {
            int n = 0;
            for (boolean b : negative) if (b) n++;
            return n;
        }
    }

    /** Negatives (wrong predictions) and, per predicted label, as many positives as negatives, sampled with rng. */
    static Inputs inputs(int[] labels, int[] predictions, int classes, Rng rng) {
        List<Integer> neg = new ArrayList<>();
        List<List<Integer>> posByLabel = new ArrayList<>();
        int[] negByLabel = new int[classes];
        for (int c = 0; c < classes; c++) posByLabel.add(new ArrayList<>());
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] != labels[i]) {
                neg.add(i);
                negByLabel[predictions[i]]++;
            } else posByLabel.get(predictions[i]).add(i);
        }
        List<Integer> pos = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Integer> pool = posByLabel.get(c);
            int[] order = rng.fork("positives/" + c).permutation(pool.size());
            for (int k = 0; k < Math.min(negByLabel[c], pool.size()); k++) pos.add(pool.get(order[k]));
        }
        pos.sort(null);
        int n = neg.size() + pos.size();
        int[] idx = new int[n], lab = new int[n];
        boolean[] isNeg = new boolean[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i < neg.size() ? neg.get(i) : pos.get(i - neg.size());
            lab[i] = labels[idx[i]];
            isNeg[i] = i < neg.size();
        }
        return new Inputs(idx, lab, isNeg);
    }

    /** Arachne's fitness of logits (n, K) on the search inputs. */
    static double fitness(float[] logits, int[] labels, boolean[] negative, double alpha) {
        int n = labels.length, k = logits.length / n;
        double pos = 0, neg = 0;
        for (int i = 0; i < n; i++) {
            boolean right = org.archrepair.repair.eval.Evaluator.argmax(logits, i * k, k) == labels[i];
            double v = right ? 1 : 1 / (1 + Forward.crossEntropy(logits, i * k, k, labels[i]));
            if (negative[i]) neg += v;
            else pos += v;
        }
        return pos + alpha * neg;
    }

    @Override
    public Outcome repair(RepairContext ctx) throws IOException {
        BaselineCheckpoint.Saved saved = ctx.resume() ? BaselineCheckpoint.read(ctx.dir(), ctx.fingerprint()) : null;
        long t0 = System.nanoTime();
        Network net = ctx.net();
        String target = layer(net);
        ImageDataset train = ctx.split().train(), valSet = ctx.split().val();
        Pixels px = new Pixels(ctx.normalization(), train);
        int[] chw = {px.channels, px.height, px.width};
        float[] all = Forward.images(train, Forward.all(train.size()), px);
        int[] predictions = Forward.predictions(Forward.logits(net, ctx.backend(), all, train.size(), chw), train.size());
        Inputs in = inputs(train.labels(), predictions, net.classes(), new Rng(ctx.seed()).fork("arachne/inputs"));
        if (in.negatives() == 0) throw new IllegalStateException("Arachne: the model gets all of D_train^repair right");
        float[] neg = Forward.images(train, java.util.Arrays.copyOf(in.indices(), in.negatives()), px);
        float[] pos = Forward.images(train, java.util.Arrays.copyOfRange(in.indices(), in.negatives(), in.indices().length), px);
        int[] negLabels = java.util.Arrays.copyOf(in.labels(), in.negatives());
        int[] posLabels = java.util.Arrays.copyOfRange(in.labels(), in.negatives(), in.labels().length);
        ArachneLocalizer.Costs costs = ArachneLocalizer.localize(net, ctx.backend(), target, neg, negLabels, pos, posLabels, chw);
        int[] front = costs.front();
        Tensor weight = ArachneLocalizer.weightOf(net.get(target));
        float[] w0 = weight.toFloatArray();
        float[] searchImages = Forward.images(train, in.indices(), px);
        float[] valImages = Forward.images(valSet, Forward.all(valSet.size()), new Pixels(ctx.normalization(), valSet));
        List<float[]> sets = List.of(searchImages, valImages);
        List<Integer> counts = List.of(in.indices().length, valSet.size());
        LayerPatch patch = target.equals(lastLinear(net))
                ? new LayerPatch.Head(net, ctx.backend(), target, front, sets, counts, chw)
                : new LayerPatch.Replayed(net, ctx.backend(), target, front, sets, counts, chw);
        double prep = (System.nanoTime() - t0) / 1e9;
        Search s = new Search(ctx, patch, in, valSet.labels(), DifferentialEvolution.Bounds.of(w0), front.length, w0);
        s.run(saved, Map.of("arachne_layer", target, "arachne_front", java.util.Arrays.toString(front)));
        weight.copyFrom(LayerPatch.patched(w0, front, s.bestValPatch));
        return new Outcome(name(), target + " (" + front.length + " weights on the Pareto front)", null, s.history,
                List.of(), prep, (System.nanoTime() - t0) / 1e9 - prep, s.stoppedEarly);
    }

    /** The generations, checkpointed one by one. */
    private final class Search {
        private final RepairContext ctx;
        private final LayerPatch patch;
        private final Inputs in;
        private final int[] valLabels;
        private final DifferentialEvolution.Bounds bounds;
        private final int d;
        private final float[] w0;
        float[][] pop;
        double[] fitness;
        float[] bestValPatch;
        double bestValLoss = Double.POSITIVE_INFINITY;
        List<EpochLog> history = new ArrayList<>();
        boolean stoppedEarly;

        Search(RepairContext ctx, LayerPatch patch, Inputs in, int[] valLabels, DifferentialEvolution.Bounds bounds, int d,
               float[] w0) {
            this.ctx = ctx;
            this.patch = patch;
            this.in = in;
            this.valLabels = valLabels;
            this.bounds = bounds;
            this.d = d;
            this.w0 = w0;
        }

        void run(BaselineCheckpoint.Saved saved, Map<String, String> fixedMeta) throws IOException {
            Rng rng = new Rng(ctx.seed()).fork("arachne");
            DifferentialEvolution.Stopper stopper = new DifferentialEvolution.Stopper(maxGenerations);
            int start = 0;
            boolean done = false;
            if (saved != null && "de".equals(saved.phase())) {
                pop = rows(saved.tensor("arachne/population"), d);
                fitness = doubles(saved.meta().get("fitness"));
                bestValPatch = saved.tensor("arachne/best_val").data();
                bestValLoss = saved.number("best_val_loss");
                if (saved.meta().containsKey("stopper_best")) stopper.best = saved.number("stopper_best");
                stopper.unchanged = saved.count("stopper_unchanged");
                start = saved.count("generations_done");
                done = Boolean.parseBoolean(saved.meta().get("done"));
                history = saved.history();
            } else {
                pop = DifferentialEvolution.initial(population, d, w0, rng.fork("init"));
                fitness = score(pop);
            }
            int ran = 0;
            for (int g = start; g < maxGenerations && !done; g++) {
                long t0 = System.nanoTime();
                float[][] trials = DifferentialEvolution.trials(pop, bounds, rng.fork("generation/" + g));
                DifferentialEvolution.select(pop, fitness, trials, score(trials));
                int best = DifferentialEvolution.best(fitness);
                long t1 = System.nanoTime();
                float[] searchLogits = patch.logits(new float[][]{pop[best]}, 0)[0];
                float[] valLogits = patch.logits(new float[][]{pop[best]}, 1)[0];
                double valLoss = mean(Forward.losses(valLogits, valLabels));
                if (valLoss < bestValLoss || bestValPatch == null) {
                    bestValLoss = valLoss;
                    bestValPatch = pop[best].clone();
                }
                done = stopper.update(fitness[best]) || g + 1 == maxGenerations;
                EpochLog log = new EpochLog("de", g + 1, 0, mean(Forward.losses(searchLogits, in.labels())),
                        accuracy(searchLogits, in.labels()), valLoss, accuracy(valLogits, valLabels), Double.NaN,
                        (t1 - t0) / 1e9, 0, (System.nanoTime() - t1) / 1e9);
                history.add(log);
                save(g + 1, stopper, done, fixedMeta);
                ctx.listener().epoch(log);
                if (ctx.stopAfter() > 0 && ++ran >= ctx.stopAfter() && !done) throw new RepairContext.Stopped(ran);
            }
            stoppedEarly = history.size() < maxGenerations;
            if (bestValPatch == null) bestValPatch = pop[DifferentialEvolution.best(fitness)].clone();
        }

        private double[] score(float[][] candidates) {
            float[][] logits = patch.logits(candidates, 0);
            double[] f = new double[candidates.length];
            for (int c = 0; c < f.length; c++) f[c] = fitness(logits[c], in.labels(), in.negative(), ALPHA);
            return f;
        }

        private void save(int generations, DifferentialEvolution.Stopper stopper, boolean done, Map<String, String> fixedMeta)
                throws IOException {
            Map<String, HostArray> t = new LinkedHashMap<>();
            float[] flat = new float[pop.length * d];
            for (int i = 0; i < pop.length; i++) System.arraycopy(pop[i], 0, flat, i * d, d);
            t.put("arachne/population", new HostArray(new int[]{pop.length, d}, flat));
            t.put("arachne/best_val", new HostArray(new int[]{d}, bestValPatch));
            Map<String, String> meta = new LinkedHashMap<>(fixedMeta);
            meta.put("phase", "de");
            meta.put("fitness", java.util.Arrays.stream(fitness).mapToObj(Double::toString)
                    .collect(java.util.stream.Collectors.joining(",")));
            meta.put("generations_done", Integer.toString(generations));
            meta.put("best_val_loss", Double.toString(bestValLoss));
            if (stopper.best != null) meta.put("stopper_best", Double.toString(stopper.best));
            meta.put("stopper_unchanged", Integer.toString(stopper.unchanged));
            meta.put("done", Boolean.toString(done));
            meta.put("history", BaselineCheckpoint.writeHistory(history));
            BaselineCheckpoint.save(ctx.dir(), ctx.fingerprint(), t, meta);
        }
    }

    /** The doubles of a comma-separated list (Double.toString round-trips exactly). */
    static double[] doubles(String csv) {
        if (csv == null) throw new IllegalArgumentException(BaselineCheckpoint.FILE + ": missing fitness");
        return java.util.Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static float[][] rows(HostArray a, int d) {
        float[][] out = new float[a.data().length / d][];
        for (int i = 0; i < out.length; i++) out[i] = java.util.Arrays.copyOfRange(a.data(), i * d, (i + 1) * d);
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return v.length == 0 ? 0 : s / v.length;
    }

    private static double accuracy(float[] logits, int[] labels) {
        int k = logits.length / labels.length, right = 0;
        for (int i = 0; i < labels.length; i++) if (org.archrepair.repair.eval.Evaluator.argmax(logits, i * k, k) == labels[i]) right++;
        return (double) right / labels.length;
    }
}
