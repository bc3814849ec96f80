package org.archrepair.repair.baselines;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.autograd.Gradients;
import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.engine.optim.LrSchedule;
import org.archrepair.engine.optim.Optimizer;
import org.archrepair.engine.optim.Sgd;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Network;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.repair.eval.Evaluator;
import org.archrepair.repair.method.Budget;
import org.archrepair.repair.method.EpochLog;
import org.archrepair.repair.method.RepairContext;
import org.archrepair.repair.train.NonFiniteLossException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retraining of the whole network on batches a method composes (MODE's selected inputs, SENSEI's
 * worst-case variants, the AugMix triples of Few-Shot and DeepRepair), on the same footing as the
 * weight-only repairs: SGD with momentum 0.9 and the budget's learning rate (cosine to 0 over the
 * phase), weight decay and gradient clip, batch norms in training mode; after each epoch the loss
 * on D_val^repair (clean, in eval mode) keeps the best state, {@code patience} epochs without a new
 * lowest loss end the phase, and the best state is what remains. Checkpointed after every epoch
 * with the method's own state, so a killed run resumes to the same bits.
 */
final class Retrain {
    static final String PHASE = "retrain";

    /** A batch as a method composes it: images (copies x n, C, H, W) normalized, labels (n), the clean copy first. */
    record TrainBatch(float[] images, int[] labels, int copies, int channels, int height, int width) {
        int[] shape() {
            return new int[]{copies * labels.length, channels, height, width};
        }
    }

    /** What a method plugs into the loop. */
    interface Plan {
        /** Before the batches of epoch e (0-based), e.g. SENSEI's generation or MODE's input selection. */
        default void beforeEpoch(int epoch) {
        }

        int batches(int epoch);

        TrainBatch batch(int epoch, int k);

        /** The batch's loss; the default is the mean cross-entropy of a one-copy batch. */
        default Tensor loss(Tensor logits, TrainBatch b, Backend backend) {
            if (b.copies() != 1) throw new IllegalStateException("cross-entropy of a " + b.copies() + "-copy batch");
            return Ops.crossEntropy(logits, Tensor.ofInts(backend, b.labels(), b.labels().length));
        }

        /** The method's tensors and values to checkpoint after an epoch ... */
        default Map<String, HostArray> state() {
            return Map.of();
        }

        default Map<String, String> meta() {
            return Map.of();
        }

        /** ... and to take back from a checkpoint. */
        default void restore(BaselineCheckpoint.Saved saved) {
        }
    }

    /** One epoch's sums: loss (per example), correct clean predictions, examples, seconds. */
    record EpochSums(double lossSum, long correct, long seen, double seconds) {
        double loss() {
            return lossSum / seen;
        }

        double accuracy() {
            return (double) correct / seen;
        }
    }

    record Result(List<EpochLog> history, boolean stoppedEarly) {
    }

    private Retrain() {
    }

    /**
     * Run (or continue, from saved when its phase is this one) at most maxEpochs epochs. fixed:
     * tensors and values of earlier phases that every checkpoint of this one carries along.
     */
    static Result run(RepairContext ctx, Plan plan, int maxEpochs, BaselineCheckpoint.Saved saved,
                      Map<String, HostArray> fixed, Map<String, String> fixedMeta, List<EpochLog> before)
            throws IOException {
        Network net = ctx.net();
        Budget b = ctx.budget();
        net.unfreeze();
        List<Tensor> params = net.parameters();
        Sgd sgd = new Sgd(params, b.lr(), 0.9, b.weightDecay(), false);
        List<EpochLog> history = new ArrayList<>(before);
        int start = 0, stale = 0;
        double best = Double.POSITIVE_INFINITY;
        Map<String, HostArray> bestState = null;
        boolean done = false;
        if (saved != null && PHASE.equals(saved.phase())) {
            StateDicts.load(net, saved.prefixed("net/"), true);
            Map<String, Tensor> named = net.namedParameters();
            saved.prefixed("sgd/").forEach((k, m) -> sgd.setMomentum(require(named, k), m.data()));
            plan.restore(saved);
            start = saved.count("epochs_done");
            stale = saved.count("stale");
            best = saved.number("best_loss");
            bestState = saved.prefixed("best/");
            history = saved.history();
            done = Boolean.parseBoolean(saved.meta().get("done"));
        }
        BatchLoader val = validation(ctx);
        int ran = 0;
        for (int epoch = start; epoch < maxEpochs && !done; epoch++) {
            sgd.applySchedule(LrSchedule.cosine(maxEpochs, 0), epoch);
            plan.beforeEpoch(epoch);
            EpochSums s = trainEpoch(ctx, plan, epoch, maxEpochs, params, sgd, b.clip(), PHASE);
            long t1 = System.nanoTime();
            Evaluator.Score v = Evaluator.score(net, val, ctx.backend());
            if (v.loss() < best) {
                best = v.loss();
                stale = 0;
                bestState = StateDicts.toHost(net);
            } else stale++;
            done = stale >= b.patience() || epoch + 1 == maxEpochs;
            EpochLog log = new EpochLog(PHASE, epoch + 1, sgd.groups().getFirst().lr(), s.loss(), s.accuracy(), v.loss(),
                    v.accuracy(), Double.NaN, s.seconds(), 0, (System.nanoTime() - t1) / 1e9);
            history.add(log);
            Map<String, HostArray> t = new LinkedHashMap<>(fixed);
            StateDicts.toHost(net).forEach((k, x) -> t.put("net/" + k, x));
            net.namedParameters().forEach((k, p) -> {
                float[] m = sgd.momentum(p);
                if (m != null) t.put("sgd/" + k, new HostArray(p.shape(), m));
            });
            if (bestState != null) bestState.forEach((k, x) -> t.put("best/" + k, x));
            t.putAll(plan.state());
            Map<String, String> meta = new LinkedHashMap<>(fixedMeta);
            meta.putAll(plan.meta());
            meta.put("phase", PHASE);
            meta.put("epochs_done", Integer.toString(epoch + 1));
            meta.put("stale", Integer.toString(stale));
            meta.put("best_loss", Double.toString(best));
            meta.put("done", Boolean.toString(done));
            meta.put("history", BaselineCheckpoint.writeHistory(history));
            BaselineCheckpoint.save(ctx.dir(), ctx.fingerprint(), t, meta);
            ctx.listener().epoch(log);
            if (ctx.stopAfter() > 0 && ++ran >= ctx.stopAfter() && !done) throw new RepairContext.Stopped(ran);
        }
        if (bestState != null) StateDicts.load(net, bestState, true);
        long epochs = history.stream().filter(h -> h.phase().equals(PHASE)).count();
        return new Result(history, epochs < maxEpochs);
    }

    /**
     * The batches of one epoch: forward, the plan's loss (checked before the step, so a
     * non-finite loss never reaches the weights), gradients of params, clip, step. Right
     * predictions of the clean copy are counted on the device.
     */
    static EpochSums trainEpoch(RepairContext ctx, Plan plan, int epoch, int epochs, List<Tensor> params,
                                Optimizer opt, double clip, String phase) {
        Network net = ctx.net();
        Backend be = ctx.backend();
        long t0 = System.nanoTime();
        double lossSum = 0;
        long seen = 0;
        Tensor correct = Tensor.ofInts(be, new int[1], 1);    // int32 (1): right predictions this epoch
        net.train(true);
        int batches = plan.batches(epoch), total = 0;
        for (int k = 0; k < batches; k++) {
            TrainBatch batch = plan.batch(epoch, k);
            Tensor logits = net.forward(Tensor.of(be, batch.images(), batch.shape()));
            Tensor loss = plan.loss(logits, batch, be);
            float l = NonFiniteLossException.check(phase, loss.item(), epoch + 1, k + 1, lastGood(ctx));
            Gradients g = Autograd.grad(loss, params);
            if (clip > 0) g.clipNormOnDevice(params, (float) clip);
            opt.step(g);
            int n = batch.labels().length;
            Ops.accumulateCorrect(cleanRows(logits, n), Tensor.ofInts(be, batch.labels(), n), correct);
            lossSum += (double) l * n;
            seen += n;
            total += n;
            ctx.listener().batch(phase, epoch, epochs, total, Math.max(total, ctx.split().train().size()), l,
                    (double) correct.toIntArray()[0] / seen, Double.NaN);
        }
        net.eval();
        return new EpochSums(lossSum, correct.toIntArray()[0], seen, (System.nanoTime() - t0) / 1e9);
    }

    /** The first n rows of logits (copies x n, classes), the clean copy's, cut from the graph and copied on the device. */
    static Tensor cleanRows(Tensor logits, int n) {
        int rows = logits.dim(0), classes = logits.dim(1);
        Tensor flat = logits.detach().reshape(1, rows * classes);
        return rows == n ? logits.detach() : Ops.narrowChannels(flat, 0, n * classes).reshape(n, classes);
    }

    /** The run's checkpoint file when one has been written (the last good state), else null. */
    private static Path lastGood(RepairContext ctx) {
        Path file = ctx.dir().resolve(BaselineCheckpoint.FILE);
        return Files.exists(file) ? file : null;
    }

    /** D_val^repair in eval mode, 256 at a time. */
    static BatchLoader validation(RepairContext ctx) {
        return new BatchLoader(ctx.split().val(), BatchLoader.Config.eval(256, ctx.normalization()), new Rng(0));
    }

    /** The order of n examples in epoch e: a pure function of the seed, the label and e. */
    static int[] order(long seed, String label, int epoch, int n) {
        return new Rng(seed).fork(label).fork("order/" + epoch).permutation(n);
    }

    private static Tensor require(Map<String, Tensor> named, String k) {
        Tensor p = named.get(k);
        if (p == null) throw new IllegalArgumentException(BaselineCheckpoint.FILE + ": momentum of unknown parameter " + k);
        return p;
    }
}
