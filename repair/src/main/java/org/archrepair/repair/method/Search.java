package org.archrepair.repair.method;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.optim.Adam;
import org.archrepair.engine.optim.LrSchedule;
import org.archrepair.engine.optim.ParamGroup;
import org.archrepair.engine.optim.Sgd;
import org.archrepair.models.data.Batch;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.BatchStream;
import org.archrepair.repair.eval.Evaluator;
import org.archrepair.repair.report.Reports;
import org.archrepair.repair.search.Architect;
import org.archrepair.repair.search.SearchSpace;
import org.archrepair.repair.train.NonFiniteLossException;
import org.archrepair.repair.train.TrainStep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search phase (ALGORITHM.md 6.3, first-order PC-DARTS): for every batch of D_train^repair,
 * after the warm-up epochs an architecture step on a batch of D_val^repair (the batch of the same
 * index, cycling, in an order drawn per epoch), then a weight step. Only the relaxed block trains
 * (at layer level only the relaxed edge: {@link SearchSpace#trainable}): the rest of the network is
 * frozen and in eval mode; the trained modules' batch norms use batch statistics.
 * Checkpointed after every epoch, with the op weights of every edge for the alpha plot.
 */
final class Search {
    static final String PHASE = "search";

    record Result(List<EpochLog> history, List<Map<String, float[]>> alphaHistory) {
    }

    private Search() {
    }

    static Result run(RepairContext ctx, SearchSpace space, boolean unrolled, RunCheckpoint.Saved saved,
                      Map<String, String> extraMeta) throws IOException {
        var net = ctx.net();
        Budget b = ctx.budget();
        List<Module> trainable = space.trainable();
        net.freeze();
        trainable.forEach(Module::unfreeze);
        List<Tensor> weights = trainable.stream().flatMap(m -> m.parameters().stream()).toList();
        Map<String, Tensor> arch = space.architectureParameters();
        Sgd sgd = new Sgd(weights, b.lr(), 0.9, b.weightDecay(), false);
        Adam adam = new Adam(List.of(new ParamGroup(List.copyOf(arch.values()), b.archLr(), 1e-3)), 0.5, 0.999, 1e-8);
        Architect architect = new Architect(net, List.copyOf(arch.values()), adam, weights, sgd, unrolled);
        List<EpochLog> history = new ArrayList<>();
        List<Map<String, float[]>> alphas = new ArrayList<>();
        int start = 0;
        if (saved != null && PHASE.equals(saved.phase())) {
            RunCheckpoint.restore(saved, net, arch, sgd, adam);
            start = saved.epochsDone();
            history = saved.history();
            alphas = readAlphas(saved.meta().getOrDefault("alpha_history", "[]"));
        }
        if (alphas.isEmpty()) alphas.add(space.edgeWeights());          // epoch 0: where the search starts
        Rng rng = new Rng(ctx.seed()).fork(PHASE);
        BatchLoader train = new BatchLoader(ctx.split().train(), BatchLoader.Config.train(b.batch(), ctx.normalization()),
                rng.fork("train"));
        BatchLoader valBatches = new BatchLoader(ctx.split().val(), BatchLoader.Config.train(b.batch(), ctx.normalization())
                .withPrefetch(0), rng.fork("val"));
        BatchLoader val = new BatchLoader(ctx.split().val(), BatchLoader.Config.eval(256, ctx.normalization()), rng);
        TrainStep step = new TrainStep(net, weights, sgd, b.clip());
        int ran = 0;
        for (int epoch = start; epoch < b.searchEpochs(); epoch++) {
            sgd.applySchedule(LrSchedule.cosine(b.searchEpochs(), 0), epoch);
            net.eval();
            trainable.forEach(m -> m.train(true));
            double lossSum = 0, weightNs = 0, archNs = 0;
            long seen = 0;
            step.resetCorrect();
            try (BatchStream batches = train.epoch(epoch)) {
                while (batches.hasNext()) {
                    Batch batch = batches.next();
                    long t0 = System.nanoTime();
                    if (epoch >= b.warmup()) {
                        Batch v = valBatches.batch(epoch, batch.index() % valBatches.batchesPerEpoch());
                        float lv = architect.step(ctx.backend(), v, batch);
                        NonFiniteLossException.check("search (architecture step)", lv, epoch + 1, batch.index() + 1,
                                RunCheckpoint.lastGood(ctx.dir()));
                    }
                    long t1 = System.nanoTime();
                    TrainStep.Result r;
                    try (var ignored = architect.freezeArchitecture()) {
                        int e = epoch;
                        r = step.run(ctx.backend(), batch, loss -> NonFiniteLossException.check("search", loss, e + 1,
                                batch.index() + 1, RunCheckpoint.lastGood(ctx.dir())));
                    }
                    archNs += t1 - t0;
                    weightNs += System.nanoTime() - t1;
                    lossSum += (double) r.loss() * r.size();
                    seen += r.size();
                    ctx.listener().batch(PHASE, epoch, b.searchEpochs(), (int) seen, ctx.split().train().size(), r.loss(),
                            (double) step.correct() / seen, space.meanEntropy());
                }
            }
            long t2 = System.nanoTime();
            Evaluator.Score v = Evaluator.score(net, val, ctx.backend());
            EpochLog log = new EpochLog(PHASE, epoch + 1, sgd.groups().getFirst().lr(), lossSum / seen,
                    (double) step.correct() / seen, v.loss(), v.accuracy(), space.meanEntropy(), weightNs / 1e9, archNs / 1e9,
                    (System.nanoTime() - t2) / 1e9);
            history.add(log);
            alphas.add(space.edgeWeights());
            Map<String, String> meta = new LinkedHashMap<>(extraMeta);
            meta.put("phase", PHASE);
            meta.put("epochs_done", Integer.toString(epoch + 1));
            meta.put("history", Reports.json(history.stream().map(EpochLog::toJson).toList()));
            meta.put("alpha_history", Reports.json(alphas));
            RunCheckpoint.save(ctx.dir(), ctx.fingerprint(), new RunCheckpoint.Contents(net, arch, sgd, adam, null, meta));
            ctx.listener().epoch(log);
            if (ctx.stopAfter() > 0 && ++ran >= ctx.stopAfter()) throw new RepairContext.Stopped(ran);
        }
        net.unfreeze();
        return new Result(history, alphas);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, float[]>> readAlphas(String json) {
        try {
            List<Map<String, float[]>> out = new ArrayList<>();
            for (Object o : Reports.readList(json, RunCheckpoint.FILE + " alpha history")) {
                Map<String, List<Number>> epoch = (Map<String, List<Number>>) o;
                Map<String, float[]> m = new LinkedHashMap<>();
                epoch.forEach((k, v) -> {
                    float[] f = new float[v.size()];
                    for (int i = 0; i < f.length; i++) f[i] = v.get(i).floatValue();
                    m.put(k, f);
                });
                out.add(m);
            }
            return out;
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(RunCheckpoint.FILE + ": unreadable alpha history: " + e.getMessage());
        }
    }
}
