package org.archrepair.repair.cli;

import org.archrepair.kernels.Backend;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.repair.localize.Localization;
import org.archrepair.repair.localize.LocalizationReport;
import org.archrepair.repair.localize.Localizer;
import org.archrepair.repair.localize.Suspiciousness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** archrepair localize: the most vulnerable block of a model (the paper's Algorithm 1). */
@Command(name = "localize", mixinStandardHelpOptions = true,
        description = "Find the most vulnerable block of a model: Tarantula suspiciousness of every neuron from its "
                + "activation spectrum over D_fail and a sample of the training set, reweighted by how far its "
                + "gradient on D_fail is from the mean, and the block with the most neurons in the top k. Writes "
                + "localization.json, neurons.csv, table6.md and two figures (PNG, SVG) into --out.")
public final class LocalizeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;
    @Mixin
    DataOptions data;
    @Mixin
    FailureOptions failures;
    @Mixin
    CommonOptions common;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "PyTorch torch.save file or safetensors. Default for resnet20 and resnet32: the published weights.")
    Path weights;
    @Option(names = "--spectrum-images", defaultValue = "10000", paramLabel = "N",
            description = "Training images added to D_fail for the spectra (0 = all). Default: ${DEFAULT-VALUE}.")
    int spectrumImages;
    @Option(names = "--top-k", defaultValue = "50", paramLabel = "K",
            description = "Neurons above the k-th largest score are vulnerable. Default: ${DEFAULT-VALUE}.")
    int topK;
    @Option(names = "--measure", defaultValue = "tarantula", paramLabel = "NAME",
            description = "tarantula (the paper's Eq. 5), ochiai or dstar. Default: ${DEFAULT-VALUE}.")
    String measure;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the reports.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Localizer.Config config = new Localizer.Config(measure(), topK, Localizer.TABLE6_KS, 256, 128);
        model.name();
        try (Backend backend = common.openBackend()) {
            Path file = Subject.weightsFile(model, data, weights);
            Subject subject = Subject.load(model, file, 10, backend, common.seed);
            FailureOptions.Prepared p = failures.prepare(subject, data, backend, common.seed, spectrumImages);
            ImageDataset spectrumSet = p.data().repairSet(), fails = p.data().failures();
            Localizer.Timed timed = run(subject, backend, spectrumSet, fails, config);
            Localization loc = timed.localization();
            double seconds = timed.spectrumSeconds() + timed.gradientSeconds();
            Map<String, Object> provenance = new LinkedHashMap<>(subject.toJson());
            provenance.put("seed", common.seed);
            provenance.put("device", backend.name());
            provenance.put("threads", common.threads());
            provenance.put("seconds", Map.of("spectrum", timed.spectrumSeconds(), "gradient", timed.gradientSeconds()));
            provenance.put("data", p.data().toJson());
            LocalizationReport.write(loc, provenance, out);
            System.out.printf(Locale.ROOT, "%s: most vulnerable block %s (top-%d of Ŝ, %s); S alone: %s; largest mean "
                            + "gradient: %s; %.1f s (spectrum %.1f s over %d images, gradients %.1f s over %d)%n",
                    subject.net().name(), loc.chosen(), topK, measure, loc.spectrumChoice(), loc.gradientChoice(), seconds,
                    timed.spectrumSeconds(), spectrumSet.size(), timed.gradientSeconds(), fails.size());
            System.out.println(LocalizationReport.table6(loc, subject.net().name()));
            System.out.println("reports in " + out);
        }
        return 0;
    }

    static Localizer.Timed run(Subject subject, Backend backend, ImageDataset spectrumSet, ImageDataset fails,
                            Localizer.Config config) {
        ProgressBar spectrum = new ProgressBar("spectrum (D_fail + training sample)", spectrumSet.size(), "img");
        ProgressBar gradient = new ProgressBar("gradient (D_fail)", fails.size(), "img");
        try (gradient) {
            return Localizer.run(subject.net(), backend, spectrumSet, fails, subject.normalization(), config,
                    (phase, n) -> {
                        if (phase.equals("spectrum")) {
                            spectrum.advance(n, null);
                            if (spectrum.complete()) gradient.restartClock();   // the gradient pass starts now
                        } else {
                            spectrum.close();
                            gradient.advance(n, null);
                        }
                    });
        }
    }

    private Suspiciousness measure() {
        try {
            return Suspiciousness.valueOf(measure.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--measure " + measure + ": expected tarantula, ochiai or dstar");
        }
    }
}
