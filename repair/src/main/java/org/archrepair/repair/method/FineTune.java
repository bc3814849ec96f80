package org.archrepair.repair.method;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.engine.optim.LrSchedule;
import org.archrepair.engine.optim.Sgd;
import org.archrepair.models.data.Batch;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.BatchStream;
import org.archrepair.repair.eval.Evaluator;
import org.archrepair.repair.report.Reports;
import org.archrepair.repair.train.NonFiniteLossException;
import org.archrepair.repair.train.TrainStep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weight-only training of given tensors of the network, the rest frozen: ArchRepair's fine-tuning
 * of the discretized block and the whole of the weight-only repairs. SGD (momentum 0.9, the
 * budget's lr and decay, cosine to 0 over maxEpochs, gradient clip) on D_train^repair with
 * augmentation; after each epoch the loss on D_val^repair decides: a new lowest loss is kept as
 * the best state, {@code patience} epochs without one end the phase, and the best state is what
 * remains. Checkpointed after every epoch.
 */
final class FineTune {
    static final String PHASE = "finetune";

    /** What to train: the tensors, the modules whose batch norms run in training mode, an optional channel mask. */
    record Trainable(List<Tensor> tensors, List<Module> trainModules, ChannelMask mask) {
    }

    /** Keeps every output channel but one of a conv weight as it was (neuron-level repair). */
    static final class ChannelMask {
        private final Tensor weight;
        private final float[] original;
        private final int channel, per;

        ChannelMask(Tensor weight, int channel) {
            this.weight = weight;
            this.original = weight.toFloatArray();
            this.channel = channel;
            this.per = original.length / weight.dim(0);
        }

        /** Undo whatever the step did outside the channel (gradient, decay, momentum). */
        void apply() {
            float[] now = weight.toFloatArray(), out = original.clone();
            System.arraycopy(now, channel * per, out, channel * per, per);
            weight.copyFrom(out);
        }
    }

    private FineTune() {
    }

    /**
     * Run (or continue, from saved when its phase is this one) the phase; extraMeta goes into every
     * checkpoint. Returns the history of this phase's epochs and whether it stopped early.
     */
    static Result run(RepairContext ctx, Trainable what, int maxEpochs, RunCheckpoint.Saved saved,
                      Map<String, String> extraMeta, List<EpochLog> before) throws IOException {
        var net = ctx.net();
        Budget b = ctx.budget();
        net.freeze();
        what.tensors().forEach(t -> t.setRequiresGrad(true));
        Sgd sgd = new Sgd(what.tensors(), b.lr(), 0.9, b.weightDecay(), false);
        List<EpochLog> history = new ArrayList<>(before);
        int start = 0, stale = 0;
        double best = Double.POSITIVE_INFINITY;
        Map<String, HostArray> bestState = null;
        boolean done = false;
        if (saved != null && PHASE.equals(saved.phase())) {
            RunCheckpoint.restore(saved, net, null, sgd, null);
            start = saved.epochsDone();
            stale = saved.intMeta("stale");
            best = saved.bestLoss();
            bestState = saved.prefixed("best/");
            history = saved.history();
            done = Boolean.parseBoolean(saved.meta().get("done"));
        }
        Rng rng = new Rng(ctx.seed()).fork(PHASE);
        BatchLoader train = new BatchLoader(ctx.split().train(), BatchLoader.Config.train(b.batch(), ctx.normalization()),
                rng.fork("train"));
        BatchLoader val = new BatchLoader(ctx.split().val(), BatchLoader.Config.eval(256, ctx.normalization()), rng);
        TrainStep step = new TrainStep(net, what.tensors(), sgd, b.clip());
        int ran = 0;
        for (int epoch = start; epoch < maxEpochs && !done; epoch++) {
            sgd.applySchedule(LrSchedule.cosine(maxEpochs, 0), epoch);
            long t0 = System.nanoTime();
            double lossSum = 0;
            long seen = 0;
            step.resetCorrect();
            net.eval();
            what.trainModules().forEach(m -> m.train(true));
            try (BatchStream batches = train.epoch(epoch)) {
                while (batches.hasNext()) {
                    Batch batch = batches.next();
                    int e = epoch;
                    TrainStep.Result r = step.run(ctx.backend(), batch, loss -> NonFiniteLossException.check("fine-tuning",
                            loss, e + 1, batch.index() + 1, RunCheckpoint.lastGood(ctx.dir())));
                    if (what.mask() != null) what.mask().apply();
                    lossSum += (double) r.loss() * r.size();
                    seen += r.size();
                    ctx.listener().batch(PHASE, epoch, maxEpochs, (int) seen, ctx.split().train().size(), r.loss(),
                            (double) step.correct() / seen, Double.NaN);
                }
            }
            long t1 = System.nanoTime();
            Evaluator.Score v = Evaluator.score(net, val, ctx.backend());
            double valSeconds = (System.nanoTime() - t1) / 1e9;
            if (v.loss() < best) {
                best = v.loss();
                stale = 0;
                bestState = StateDicts.toHost(net);
            } else stale++;
            done = stale >= b.patience() || epoch + 1 == maxEpochs;
            EpochLog log = new EpochLog(PHASE, epoch + 1, sgd.groups().getFirst().lr(), lossSum / seen,
                    (double) step.correct() / seen, v.loss(), v.accuracy(), Double.NaN, (t1 - t0) / 1e9, 0, valSeconds);
            history.add(log);
            Map<String, String> meta = new LinkedHashMap<>(extraMeta);
            meta.put("phase", PHASE);
            meta.put("epochs_done", Integer.toString(epoch + 1));
            meta.put("stale", Integer.toString(stale));
            meta.put("best_loss", Double.toString(best));
            meta.put("done", Boolean.toString(done));
            meta.put("history", Reports.json(history.stream().map(EpochLog::toJson).toList()));
            RunCheckpoint.save(ctx.dir(), ctx.fingerprint(), new RunCheckpoint.Contents(net, null, sgd, null, bestState, meta));
            ctx.listener().epoch(log);
            if (ctx.stopAfter() > 0 && ++ran >= ctx.stopAfter() && !done) throw new RepairContext.Stopped(ran);
        }
        if (bestState != null) StateDicts.load(net, bestState, true);
        net.unfreeze();
        long epochs = history.stream().filter(h -> h.phase().equals(PHASE)).count();
        return new Result(history, epochs < maxEpochs);
    }

    record Result(List<EpochLog> history, boolean stoppedEarly) {
    }
}
