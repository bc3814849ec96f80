package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.archrepair.models.CandidateBlock;
import org.archrepair.models.data.Augmentation;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.repair.method.Outcome;
import org.archrepair.repair.method.RepairContext;
import org.archrepair.repair.method.RepairMethod;
import org.archrepair.repair.method.Target;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MODE (Ma, Liu, Zhang, Lee, Grama, "MODE: automated neural network model debugging via state
 * differential analysis and input selection", FSE 2018; replication fabriceyhc/mode_nn_debugging):
 * <ol>
 *   <li>layer selection, once: {@link LayerProbe} picks the probe point (a candidate block's pooled
 *       output) where the feature heads' predictions stop changing;</li>
 *   <li>every epoch, diagnosis: each label under-fits (D_train^repair accuracy below 0.9) or
 *       over-fits (train minus D_val^repair accuracy above 0.1) or neither ({@link ModeAnalysis});</li>
 *   <li>heat maps of each faulty label at the target layer and their differential map;</li>
 *   <li>input selection: per faulty label, the half of its training inputs most like the map
 *       (under-fitting) or least like it (over-fitting); {@code ratio} of every batch comes from
 *       them, the rest at random from all of D_train^repair;</li>
 *   <li>retraining of the whole network on those batches (crop and flip as the weight-only levels),
 *       then the diagnosis again.</li>
 * </ol>
 *
 * <p>Budget: {@code Budget.totalEpochs()} epochs at most (each with one inference pass over
 * D_train^repair and one over D_val^repair for the diagnosis besides the training pass), early
 * stopping on the D_val^repair loss with the budget's patience, SGD with the budget's learning
 * rate. The probing costs one inference pass over each half and {@link LayerProbe#STEPS} head steps
 * per point.
 *
 * <p>Deviations: the replication's heat maps are over input pixels of 28 x 28 images and its pool
 * shrinks as inputs are used; here they are over the target layer's pooled features (as the paper's
 * feature-level heat maps) and the pool is D_train^repair every epoch. The original's bug-fixing
 * pool is data held back from training; here it is D_train^repair, as for every method.
 */
public final class ModeMethod implements RepairMethod {
    private final double threshold, ratio;

    /** threshold: the Bhattacharyya distance under which the predictions "stop changing"; ratio: targeted share of a batch. */
    public ModeMethod(double threshold, double ratio) {
        if (!(threshold >= 0) || !(ratio >= 0 && ratio <= 1))
            throw new IllegalArgumentException("MODE: threshold must be >= 0 and ratio in [0, 1]");
        this.threshold = threshold;
        this.ratio = ratio;
    }

    @Override
    public String name() {
        return "mode";
    }

    @Override
    public Target target(RepairContext ctx) {
        return Target.network();
    }

    @Override
    public Outcome repair(RepairContext ctx) throws IOException {
        BaselineCheckpoint.Saved saved = ctx.resume() ? BaselineCheckpoint.read(ctx.dir(), ctx.fingerprint()) : null;
        long t0 = System.nanoTime();
        List<String> points = probePoints(ctx);
        String layer;
        Map<String, String> meta = new LinkedHashMap<>();
        if (saved != null && saved.meta().containsKey("mode_layer")) {
            layer = saved.meta().get("mode_layer");
            meta.put("mode_distances", saved.meta().getOrDefault("mode_distances", ""));
        } else {
            LayerProbe.Choice c = probe(ctx, points);
            layer = points.get(c.index());
            meta.put("mode_distances", Arrays.toString(c.distances()));
        }
        meta.put("mode_layer", layer);
        double prep = (System.nanoTime() - t0) / 1e9;
        Plan plan = new Plan(ctx, layer, ratio);
        Retrain.Result r = Retrain.run(ctx, plan, ctx.budget().totalEpochs(), saved, Map.of(), meta, List.of());
        return new Outcome(name(), "the whole network (MODE's target layer: " + layer + ")", null, r.history(), List.of(),
                prep, (System.nanoTime() - t0) / 1e9 - prep, r.stoppedEarly());
    }

    /** The output of every candidate block (its last unit), in forward order. */
    static List<String> probePoints(RepairContext ctx) {
        List<String> out = new ArrayList<>();
        for (CandidateBlock b : ctx.net().candidateBlocks()) out.add(b.units().getLast());
        return out;
    }

    private LayerProbe.Choice probe(RepairContext ctx, List<String> points) {
        Forward.Recorded train = pass(ctx, ctx.split().train(), points), val = pass(ctx, ctx.split().val(), points);
        List<float[]> tf = new ArrayList<>(), vf = new ArrayList<>();
        int[] dims = new int[points.size()];
        for (int p = 0; p < points.size(); p++) {
            tf.add(train.values().get(points.get(p)));
            vf.add(val.values().get(points.get(p)));
            dims[p] = train.shapes().get(points.get(p))[1];
        }
        return LayerProbe.choose(tf, vf, dims, ctx.split().train().labels(), ctx.split().val().size(),
                ctx.net().classes(), threshold, ctx.backend(), new Rng(ctx.seed()).fork("mode/probe"));
    }

    /** Logits and pooled outputs at points of every image of data. */
    static Forward.Recorded pass(RepairContext ctx, ImageDataset data, List<String> points) {
        Pixels px = new Pixels(ctx.normalization(), data);
        float[] x = Forward.images(data, Forward.all(data.size()), px);
        return Forward.record(ctx.net(), ctx.backend(), x, data.size(), new int[]{px.channels, px.height, px.width},
                points, false);
    }

    /** Each epoch: the diagnosis and selection, then batches of ratio targeted and the rest random inputs. */
    static final class Plan implements Retrain.Plan {
        private final RepairContext ctx;
        private final ImageDataset data;
        private final Pixels px;
        private final String layer;
        private final double ratio;
        private int[] targeted = new int[0];
        private final Map<String, String> meta = new LinkedHashMap<>();

        Plan(RepairContext ctx, String layer, double ratio) {
            this.ctx = ctx;
            this.data = ctx.split().train();
            this.px = new Pixels(ctx.normalization(), data);
            this.layer = layer;
            this.ratio = ratio;
        }

        @Override
        public void beforeEpoch(int epoch) {
            Forward.Recorded train = pass(ctx, data, List.of(layer));
            ImageDataset valSet = ctx.split().val();
            Pixels vpx = new Pixels(ctx.normalization(), valSet);
            float[] valLogits = Forward.logits(ctx.net(), ctx.backend(), Forward.images(valSet, Forward.all(valSet.size()), vpx),
                    valSet.size(), new int[]{vpx.channels, vpx.height, vpx.width});
            int classes = ctx.net().classes();
            int[] labels = data.labels(), predictions = Forward.predictions(train.logits(), data.size());
            double[] trainAcc = ModeAnalysis.perLabel(labels, predictions, classes);
            double[] valAcc = ModeAnalysis.perLabel(valSet.labels(), Forward.predictions(valLogits, valSet.size()), classes);
            float[] features = train.values().get(layer);
            int d = train.shapes().get(layer)[1];
            List<Integer> chosen = new ArrayList<>();
            StringBuilder states = new StringBuilder();
            for (int c = 0; c < classes; c++) {
                ModeAnalysis.State s = Double.isNaN(trainAcc[c]) ? ModeAnalysis.State.OK
                        : ModeAnalysis.classify(trainAcc[c], Double.isNaN(valAcc[c]) ? trainAcc[c] : valAcc[c]);
                states.append(s.name().charAt(0));
                if (s == ModeAnalysis.State.OK) continue;
                double[] map = ModeAnalysis.differential(ModeAnalysis.heatMaps(features, d, labels, predictions, c));
                if (map == null) continue;
                int label = c;
                int[] candidates = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == label).toArray();
                for (int i : ModeAnalysis.select(features, d, candidates, map, s, 0.5)) chosen.add(i);
            }
            targeted = chosen.stream().mapToInt(Integer::intValue).toArray();
            meta.put("mode_states_epoch_" + (epoch + 1), states.toString());
        }

        @Override
        public int batches(int epoch) {
            return (data.size() + ctx.budget().batch() - 1) / ctx.budget().batch();
        }

        @Override
        public Retrain.TrainBatch batch(int epoch, int k) {
            int b = ctx.budget().batch(), n = Math.min(b, data.size() - k * b);
            int fromTargets = targeted.length == 0 ? 0 : (int) Math.ceil(ratio * n);
            int[] random = Retrain.order(ctx.seed(), "mode/random", epoch, data.size());
            int[] targets = targeted.length == 0 ? new int[0] : shuffled(epoch);
            Rng rng = new Rng(ctx.seed()).fork("mode/augment/" + epoch + "/" + k);
            float[] x = new float[n * px.size()];
            int[] labels = new int[n];
            byte[] raw = new byte[px.size()], aug = new byte[px.size()];
            for (int i = 0; i < n; i++) {
                int image = i < fromTargets ? targets[(k * fromTargets + i) % targets.length]
                        : random[(k * (n - fromTargets) + i - fromTargets) % random.length];
                data.copyImage(image, raw, 0);
                Augmentation.CIFAR.apply(raw, 0, aug, 0, px.channels, px.height, px.width, rng);
                px.put(aug, x, i * px.size());
                labels[i] = data.label(image);
            }
            return new Retrain.TrainBatch(x, labels, 1, px.channels, px.height, px.width);
        }

        private int[] shuffled(int epoch) {
            int[] p = new Rng(ctx.seed()).fork("mode/targets").fork("order/" + epoch).permutation(targeted.length);
            int[] out = new int[p.length];
            for (int i = 0; i < p.length; i++) out[i] = targeted[p[i]];
            return out;
        }

        @Override
        public Map<String, String> meta() {
            return meta;
        }

        @Override
        public void restore(BaselineCheckpoint.Saved saved) {
            saved.meta().forEach((k, v) -> {
                if (k.startsWith("mode_states_epoch_")) meta.put(k, v);
            });
        }
    }
}
