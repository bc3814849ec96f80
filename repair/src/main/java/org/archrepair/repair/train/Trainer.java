package org.archrepair.repair.train;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.io.AtomicFile;
import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.io.JsonFormat;
import org.archrepair.engine.io.Safetensors;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.engine.optim.LrSchedule;
import org.archrepair.engine.optim.Sgd;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Network;
import org.archrepair.models.data.Batch;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.BatchStream;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Normalization;
import org.archrepair.repair.eval.Accuracy;
import org.archrepair.repair.eval.Evaluator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a network from scratch with SGD (momentum, weight decay) and a cosine schedule stepped per
 * epoch, as kuangliu/pytorch-cifar does. After every epoch it evaluates on the test set and writes,
 * atomically, the weights ({@code out}, safetensors, loadable by {@code evaluate}), a resume file
 * ({@code <out>.resume.safetensors}: weights, momentum buffers, config, data and history), the
 * history ({@code <out>.history.json}) and the learning curve ({@code <out>.curve.png}). Batch k of
 * epoch e depends only on (seed, e, k), so a resumed run is bitwise the run that was not interrupted
 * (for the same thread count).
 */
public final class Trainer {
    static final String MOMENTUM = "optimizer.momentum.";
    static final String FORMAT = "archrepair-train-state/1";

    /** Progress callbacks: after each batch, after each epoch. */
    public interface Listener {
        void batch(int epoch, int index, int batches, int size, float loss);

        void epoch(EpochRecord record);
    }

    private final Network net;
    private final Backend backend;
    private final TrainConfig config;
    private final BatchLoader trainLoader, testLoader;
    private final Path out, resumeFile;
    private final String data;        // what is trained on: dataset and normalization (a resume must match)
    private final Sgd sgd;
    private final List<EpochRecord> history = new ArrayList<>();

    public Trainer(Network net, Backend backend, ImageDataset train, ImageDataset test, Normalization normalization,
                   TrainConfig config, Path out) {
        this.net = net;
        this.backend = backend;
        this.config = config;
        Rng root = new Rng(config.seed());
        this.trainLoader = new BatchLoader(train, BatchLoader.Config.train(config.batchSize(), normalization),
                root.fork("data/train"));
        this.testLoader = new BatchLoader(test, BatchLoader.Config.eval(256, normalization), root.fork("data/test"));
        this.out = out;
        this.resumeFile = sibling(out, ".resume.safetensors");
        this.data = train.name() + ", normalization " + normalization.name();
        this.sgd = new Sgd(net.parameters(), config.lr(), config.momentum(), config.weightDecay(), config.nesterov());
    }

    /** A file written beside the weights: (x.safetensors, ".resume.safetensors") -> x.resume.safetensors. */
    public static Path sibling(Path out, String suffix) {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return out.resolveSibling(stem + suffix);
    }

    /** Train the remaining epochs (all, or those after the resume file's) and return the full history. */
    public List<EpochRecord> run(boolean resume, Listener listener) throws IOException {
        return runEpochs(resume, config.epochs(), listener);
    }

    /** Like {@link #run} but stop after epoch {@code until} (of the configured schedule). */
    public List<EpochRecord> runEpochs(boolean resume, int until, Listener listener) throws IOException {
        int start = resume ? restore() : 0;
        for (int epoch = start; epoch < Math.min(until, config.epochs()); epoch++) {
            EpochRecord r = trainEpoch(epoch, listener);
            history.add(r);
            save(epoch + 1, r);
            listener.epoch(r);
        }
        return List.copyOf(history);
    }

    private EpochRecord trainEpoch(int epoch, Listener listener) {
        long t0 = System.nanoTime();
        sgd.applySchedule(LrSchedule.cosine(config.epochs(), 0), epoch);
        net.train(true);
        TrainStep step = new TrainStep(net, net.parameters(), sgd, config.clipNorm());
        double lossSum = 0;
        long seen = 0;
        try (BatchStream batches = trainLoader.epoch(epoch)) {
            while (batches.hasNext()) {
                Batch b = batches.next();
                TrainStep.Result r = step.run(backend, b, loss -> NonFiniteLossException.check("training", loss,
                        epoch + 1, b.index() + 1, epoch > 0 ? resumeFile : null));
                lossSum += (double) r.loss() * b.size();
                seen += b.size();
                listener.batch(epoch, b.index(), batches.size(), b.size(), r.loss());
            }
        }
        Accuracy test = Evaluator.evaluate(net, testLoader, backend, n -> { });
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new EpochRecord(epoch + 1, sgd.groups().get(0).lr(), lossSum / seen, (double) step.correct() / seen,
                test.accuracy(), seconds);
    }

    // ---------------------------------------------------------------- checkpoints

    private void save(int epochsDone, EpochRecord last) throws IOException {
        Map<String, HostArray> state = StateDicts.toHost(net);
        Map<String, HostArray> full = new LinkedHashMap<>(state);
        net.namedParameters().forEach((name, p) -> {
            float[] m = sgd.momentum(p);
            if (m != null) full.put(MOMENTUM + name, new HostArray(p.shape(), m));
        });
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("model", config.model());
        meta.put("epoch", Integer.toString(epochsDone));
        meta.put("config", JsonFormat.write(config.toJson()));
        meta.put("data", data);
        meta.put("history", JsonFormat.write(history.stream().map(EpochRecord::toJson).toList()));
        // Weights first: killed between the two writes, a resume redoes one epoch (same bits) and
        // rewrites them, instead of finding the resume file done and the weights an epoch behind.
        Safetensors.write(out, state, Map.of("model", config.model(), "epoch", Integer.toString(epochsDone),
                "seed", Long.toString(config.seed()), "test_accuracy", Double.toString(last.testAccuracy())));
        Safetensors.write(resumeFile, full, meta);
        AtomicFile.writeString(sibling(out, ".history.json"),
                JsonFormat.writePretty(history.stream().map(EpochRecord::toJson).toList()));
        LearningCurve.write(history, config.model() + " on " + data + ", seed " + config.seed(),
                sibling(out, ".curve.png"));
    }

    /** Load weights, momentum and history from the resume file, checked ({@link ResumeFile}); returns the epochs done. */
    private int restore() throws IOException {
        if (!Files.exists(resumeFile))
            throw new IOException("--resume: no resume file " + resumeFile + " (it is written after each epoch)");
        ResumeFile r = ResumeFile.read(resumeFile, JsonFormat.write(config.toJson()), data, config.epochs());
        StateDicts.Report fit = StateDicts.check(net, r.weights());
        if (!fit.clean()) throw new IOException("--resume: " + resumeFile + " does not fit the model: " + fit);
        Map<String, Tensor> params = net.namedParameters();
        for (Map.Entry<String, HostArray> m : r.momentum().entrySet()) {
            Tensor p = params.get(m.getKey());
            if (p == null || !Arrays.equals(p.shape(), m.getValue().shape()))
                throw new IOException("--resume: " + resumeFile + ": momentum for " + (p == null ? "unknown parameter "
                        : "a parameter of another shape, ") + m.getKey() + " " + m.getValue().shapeString());
        }
        StateDicts.load(net, r.weights(), true);
        r.momentum().forEach((name, m) -> sgd.setMomentum(params.get(name), m.data()));
        history.addAll(r.history());
        return r.epochsDone();
    }
}
