package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.engine.optim.Adam;
import org.archrepair.models.Network;
import org.archrepair.models.data.Augmentation;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.repair.eval.Evaluator;
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
 * Apricot (Zhang and Chan, "Apricot: a weight-adaptation approach to fixing deep learning models",
 * ASE 2019; re-implementation coinse/arachne: apricot/rDLM_train.py, weight_adjust.py):
 * <ol>
 *   <li>reduced models (rDLMs): {@code reduced} copies of the model, each trained on its own random
 *       subset of D_train^repair (Adam 2e-4, batches of 20), and their predictions on D_train^repair;</li>
 *   <li>rounds: a walk over D_train^repair in batches of 20 where every input the model gets wrong
 *       adjusts all its weights ({@link ApricotUpdate}, eta 1e-3, the sign an option); every
 *       {@link #CHECK_EVERY} batches the model is checked on D_val^repair and kept if its accuracy
 *       is better, else reverted to the best; then one epoch of fine-tuning (Adam 2e-4) and one more
 *       check. The best model is what remains.</li>
 * </ol>
 *
 * <p>Budget (E = {@code Budget.totalEpochs()}): the rDLMs together train on max(1, E / 2) x
 * |D_train^repair| images (each on a subset of that over the number of rDLMs, at most 1,000, at
 * least 2, one epoch); the rounds are the other E - E / 2 (at least 1), each one fine-tuning epoch,
 * a walk of inference on batches of 20 and a few validation passes; {@code patience} rounds without
 * a better validation accuracy end them.
 *
 * <p>Deviations: the rDLMs start from the model being repaired rather than from scratch (60 epochs
 * each on 1,000 images do not fit the budget, and means of independently trained networks'
 * weights are meaningless anyway); the original validates and then fine-tunes 5 epochs over the
 * whole training set after every batch of 20, ALGORITHM.md simplifies that to 1, and here the
 * validation is every {@link #CHECK_EVERY} batches and the fine-tuning once per round; the original
 * stops after 100 batches without improvement, here after {@code patience} rounds. Keep-if-better
 * is on validation accuracy, as in the original.
 */
public final class ApricotMethod implements RepairMethod {
    static final int WALK_BATCH = 20, CHECK_EVERY = 25, MAX_SUBSET = 1000;
    static final double ETA = 1e-3, ADAM_LR = 2e-4;
    private static final String RDLM = "rdlm", WALK = "walk";

    /** The sign of {@link ApricotUpdate}: the re-implementation's code (+1) or the intuitive one (-1). */
    public enum Sign {
        ORIGINAL, INTUITIVE;

        int value() {
            return this == ORIGINAL ? 1 : -1;
        }
    }

    private final Sign sign;
    private final int reduced;

    public ApricotMethod(Sign sign, int reduced) {
        if (reduced < 2) throw new IllegalArgumentException("Apricot needs at least 2 reduced models, got " + reduced);
        this.sign = sign;
        this.reduced = reduced;
    }

    @Override
    public String name() {
        return "apricot";
    }

    @Override
    public Target target(RepairContext ctx) {
        return Target.network();
    }

    /** How many images each rDLM trains on. */
    static int subsetSize(int totalEpochs, int trainSize, int models) {
        long share = (long) Math.max(1, totalEpochs / 2) * trainSize / models;
        return (int) Math.max(2, Math.min(Math.min(MAX_SUBSET, trainSize), share));
    }

    static int rounds(int totalEpochs) {
        return Math.max(1, totalEpochs - totalEpochs / 2);
    }

    @Override
    public Outcome repair(RepairContext ctx) throws IOException {
        BaselineCheckpoint.Saved saved = ctx.resume() ? BaselineCheckpoint.read(ctx.dir(), ctx.fingerprint()) : null;
        long t0 = System.nanoTime();
        Network net = ctx.net();
        ImageDataset train = ctx.split().train();
        Map<String, HostArray> original = StateDicts.toHost(net);
        float[][] weights = new float[reduced][];
        int[][] predictions = new int[reduced][];
        int done = 0;
        if (saved != null) {
            done = RDLM.equals(saved.phase()) ? saved.count("rdlms_done") : reduced;
            for (int m = 0; m < done; m++) {
                weights[m] = saved.tensor("apricot/rdlm/" + m).data();
                predictions[m] = BaselineCheckpoint.ints(saved.tensor("apricot/pred/" + m));
            }
        }
        int subset = subsetSize(ctx.budget().totalEpochs(), train.size(), reduced);
        for (int m = done; m < reduced; m++) {
            StateDicts.load(net, original, true);
            trainReduced(ctx, m, subset);
            weights[m] = Params.flatten(net);
            predictions[m] = Forward.predictions(Forward.logits(net, ctx.backend(),
                    Forward.images(train, Forward.all(train.size()), new Pixels(ctx.normalization(), train)), train.size(),
                    chw(train)), train.size());
            Map<String, HostArray> t = rdlmTensors(weights, predictions, m + 1);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("phase", RDLM);
            meta.put("rdlms_done", Integer.toString(m + 1));
            BaselineCheckpoint.save(ctx.dir(), ctx.fingerprint(), t, meta);
            if (ctx.stopAfter() > 0 && m + 1 - done >= ctx.stopAfter() && m + 1 < reduced)
                throw new RepairContext.Stopped(m + 1 - done);
        }
        StateDicts.load(net, original, true);
        double prep = (System.nanoTime() - t0) / 1e9;
        Walk walk = new Walk(ctx, weights, predictions, sign);
        List<EpochLog> history = walk.run(WALK.equals(saved == null ? null : saved.phase()) ? saved : null,
                rdlmTensors(weights, predictions, reduced));
        return new Outcome(name(), target(ctx).toString(), null, history, List.of(), prep,
                (System.nanoTime() - t0) / 1e9 - prep, walk.stoppedEarly);
    }

    private static Map<String, HostArray> rdlmTensors(float[][] weights, int[][] predictions, int count) {
        Map<String, HostArray> t = new LinkedHashMap<>();
        for (int m = 0; m < count; m++) {
            t.put("apricot/rdlm/" + m, new HostArray(new int[]{weights[m].length}, weights[m]));
            t.put("apricot/pred/" + m, BaselineCheckpoint.ints(predictions[m]));
        }
        return t;
    }

    static int[] chw(ImageDataset d) {
        return new int[]{d.channels(), d.height(), d.width()};
    }

    /** rDLM m: one epoch of Adam on its subset of D_train^repair, batches of 20 with crop and flip. */
    private static void trainReduced(RepairContext ctx, int m, int subset) {
        ImageDataset train = ctx.split().train();
        Rng rng = new Rng(ctx.seed()).fork("apricot/rdlm/" + m);
        int[] members = java.util.Arrays.copyOf(rng.fork("subset").permutation(train.size()), subset);
        List<Tensor> params = ctx.net().parameters();
        Adam adam = new Adam(params, ADAM_LR, 0.9, 0.999, 0);
        Retrain.trainEpoch(ctx, new SubsetPlan(ctx, members, WALK_BATCH, "apricot/rdlm/" + m), 0, 1, params, adam, 0,
                "apricot reduced model " + (m + 1));
    }

    /** Batches of the given examples of D_train^repair, in a seeded order per epoch, cropped and flipped. */
    record SubsetPlan(RepairContext ctx, int[] members, int batch, String label) implements Retrain.Plan {
        @Override
        public int batches(int epoch) {
            return (members.length + batch - 1) / batch;
        }

        @Override
        public Retrain.TrainBatch batch(int epoch, int k) {
            ImageDataset data = ctx.split().train();
            Pixels px = new Pixels(ctx.normalization(), data);
            int[] order = Retrain.order(ctx.seed(), label, epoch, members.length);
            int from = k * batch, n = Math.min(batch, members.length - from);
            Rng rng = new Rng(ctx.seed()).fork(label).fork("augment/" + epoch + "/" + k);
            float[] x = new float[n * px.size()];
            int[] labels = new int[n];
            byte[] raw = new byte[px.size()], aug = new byte[px.size()];
            for (int i = 0; i < n; i++) {
                int image = members[order[from + i]];
                data.copyImage(image, raw, 0);
                Augmentation.CIFAR.apply(raw, 0, aug, 0, px.channels, px.height, px.width, rng);
                px.put(aug, x, i * px.size());
                labels[i] = data.label(image);
            }
            return new Retrain.TrainBatch(x, labels, 1, px.channels, px.height, px.width);
        }
    }

    /** The rounds of adjustment walk, fine-tuning and keep-if-better. */
    private static final class Walk {
        private final RepairContext ctx;
        private final float[][] weights;
        private final int[][] predictions;
        private final Sign sign;
        private final ImageDataset train;
        private final Pixels px;
        private final List<Tensor> params;
        private final Adam adam;
        private Map<String, HostArray> best;
        private double bestAccuracy;
        private Evaluator.Score last;
        boolean stoppedEarly;

        Walk(RepairContext ctx, float[][] weights, int[][] predictions, Sign sign) {
            this.ctx = ctx;
            this.weights = weights;
            this.predictions = predictions;
            this.sign = sign;
            this.train = ctx.split().train();
            this.px = new Pixels(ctx.normalization(), train);
            this.params = ctx.net().parameters();
            this.adam = new Adam(params, ADAM_LR, 0.9, 0.999, 0);
        }

        List<EpochLog> run(BaselineCheckpoint.Saved saved, Map<String, HostArray> fixed) throws IOException {
            Network net = ctx.net();
            int rounds = rounds(ctx.budget().totalEpochs()), start = 0, stale = 0;
            List<EpochLog> history = new ArrayList<>();
            if (saved != null) {
                StateDicts.load(net, saved.prefixed("net/"), true);
                Params.restoreAdam(net, adam, saved);
                best = saved.prefixed("best/");
                bestAccuracy = saved.number("best_accuracy");
                start = saved.count("rounds_done");
                stale = saved.count("stale");
                history = saved.history();
            } else {
                best = StateDicts.toHost(net);
                bestAccuracy = Evaluator.score(net, Retrain.validation(ctx), ctx.backend()).accuracy();
            }
            int ran = 0;
            for (int round = start; round < rounds && stale < ctx.budget().patience(); round++) {
                long t0 = System.nanoTime();
                double before = bestAccuracy;
                walk(round);
                Retrain.EpochSums tuned = Retrain.trainEpoch(ctx, new SubsetPlan(ctx, Forward.all(train.size()),
                        ctx.budget().batch(), "apricot/finetune"), round, rounds, params, adam, 0, "apricot fine-tune");
                long t1 = System.nanoTime();
                check();
                stale = bestAccuracy > before ? 0 : stale + 1;
                EpochLog log = new EpochLog(WALK, round + 1, ADAM_LR, tuned.loss(), tuned.accuracy(), last.loss(),
                        last.accuracy(), Double.NaN, (t1 - t0) / 1e9, 0, (System.nanoTime() - t1) / 1e9);
                history.add(log);
                save(round + 1, stale, history, fixed);
                ctx.listener().epoch(log);
                boolean finished = round + 1 == rounds || stale >= ctx.budget().patience();
                if (ctx.stopAfter() > 0 && ++ran >= ctx.stopAfter() && !finished) throw new RepairContext.Stopped(ran);
            }
            stoppedEarly = history.size() < rounds;
            StateDicts.load(net, best, true);
            return history;
        }

        /** One pass over D_train^repair in batches of 20, adjusting on every wrong input, checking every CHECK_EVERY batches. */
        private void walk(int round) {
            Network net = ctx.net();
            int[] order = Retrain.order(ctx.seed(), "apricot/walk", round, train.size());
            float[] w = Params.flatten(net);
            int batches = (train.size() + WALK_BATCH - 1) / WALK_BATCH;
            for (int k = 0; k < batches; k++) {
                int[] idx = java.util.Arrays.copyOfRange(order, k * WALK_BATCH, Math.min(train.size(), (k + 1) * WALK_BATCH));
                int[] mine = Forward.predictions(Forward.logits(net, ctx.backend(), Forward.images(train, idx, px), idx.length,
                        chw(train)), idx.length);
                boolean changed = false;
                for (int i = 0; i < idx.length; i++) {
                    int label = train.label(idx[i]);
                    if (mine[i] == label) continue;
                    boolean[] right = new boolean[weights.length];
                    for (int m = 0; m < weights.length; m++) right[m] = predictions[m][idx[i]] == label;
                    changed |= ApricotUpdate.adjust(w, weights, right, ETA, sign);
                }
                if (changed) Params.write(net, w);
                if ((k + 1) % CHECK_EVERY == 0 && k + 1 < batches) {
                    check();
                    w = Params.flatten(net);
                }
            }
        }

        /** Keep the model if its validation accuracy beats the best, else go back to the best. */
        private void check() {
            Network net = ctx.net();
            last = Evaluator.score(net, Retrain.validation(ctx), ctx.backend());
            if (last.accuracy() > bestAccuracy) {
                bestAccuracy = last.accuracy();
                best = StateDicts.toHost(net);
            } else StateDicts.load(net, best, true);
        }

        private void save(int rounds, int stale, List<EpochLog> history, Map<String, HostArray> fixed) throws IOException {
            Network net = ctx.net();
            Map<String, HostArray> t = new LinkedHashMap<>(fixed);
            StateDicts.toHost(net).forEach((k, v) -> t.put("net/" + k, v));
            best.forEach((k, v) -> t.put("best/" + k, v));
            Map<String, String> meta = new LinkedHashMap<>();
            Params.saveAdam(net, adam, t, meta);
            meta.put("phase", WALK);
            meta.put("rounds_done", Integer.toString(rounds));
            meta.put("stale", Integer.toString(stale));
            meta.put("best_accuracy", Double.toString(bestAccuracy));
            meta.put("history", BaselineCheckpoint.writeHistory(history));
            BaselineCheckpoint.save(ctx.dir(), ctx.fingerprint(), t, meta);
        }
    }
}
