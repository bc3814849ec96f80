package org.archrepair.repair.localize;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.nn.Conv2d;
import org.archrepair.engine.nn.Init;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.CandidateBlock;
import org.archrepair.models.Models;
import org.archrepair.models.Network;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Normalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The two passes over a model against per-example oracles, and localization on every model family. */
class PassesTest {
    static ImageDataset noise(int n, long seed) {
        Rng rng = new Rng(seed);
        byte[] px = new byte[n * 3 * 32 * 32];
        int[] labels = new int[n];
        for (int i = 0; i < px.length; i++) px[i] = (byte) rng.nextInt(256);
        for (int i = 0; i < n; i++) labels[i] = rng.nextInt(10);
        return new ImageDataset("noise", px, labels, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), 3, 32, 32);
    }

    private static BatchLoader loader(ImageDataset d, int batch) {
        return new BatchLoader(d, BatchLoader.Config.eval(batch, Normalization.AKAMASTER).withPrefetch(0), new Rng(0));
    }

    @Test
    void gradientPassIsTheMeanOfEachExamplesOwnGradient() {
        Backend be = CpuBackend.reference();
        Network net = Models.create("resnet20", new Init(be, new Rng(1)), 10);
        NeuronLayout layout = new NeuronLayout(net.candidateBlocks());
        ImageDataset data = noise(5, 2);
        double[] g = GradientPass.run(net, layout, be, loader(data, 3), n -> { });   // batches of 3 and 2
        // oracle: autograd on one example at a time, w.r.t. the conv weights themselves
        double[] expected = new double[layout.size()];
        net.eval();
        for (int i = 0; i < data.size(); i++) {
            var b = loader(data, 1).batch(0, i);
            Tensor loss = Ops.crossEntropy(net.forward(Tensor.of(be, b.images(), b.shape())),
                    Tensor.ofInts(be, b.labels(), 1));
            List<Tensor> weights = layout.layers().stream().map(l -> ((Conv2d) net.get(l.layer().conv())).weight).toList();
            var grads = Autograd.grad(loss, weights);
            for (int l = 0; l < weights.size(); l++) {
                float[] dw = grads.get(weights.get(l)).toFloatArray();
                NeuronLayout.Layer layer = layout.layers().get(l);
                int per = dw.length / layer.channels();
                for (int k = 0; k < layer.channels(); k++) {
                    double s = 0;
                    for (int j = 0; j < per; j++) s += Math.abs(dw[k * per + j]);
                    expected[layer.offset() + k] += s / per / data.size();
                }
            }
        }
        for (int j = 0; j < g.length; j++)
            assertEquals(expected[j], g[j], 1e-5 * Math.max(1, Math.abs(expected[j])), "neuron " + j);
        assertTrue(net.parameters().stream().allMatch(Tensor::requiresGrad), "parameters thawed after the pass");
        assertTrue(java.util.Arrays.stream(g).anyMatch(v -> v > 0));
    }

    @Test
    void spectrumPassCountsActivationsOfEachExample() {
        Backend be = CpuBackend.reference();
        Network net = Models.create("resnet20", new Init(be, new Rng(3)), 10);
        NeuronLayout layout = new NeuronLayout(net.candidateBlocks());
        ImageDataset data = noise(6, 4);
        Spectrum[] spectra = SpectrumPass.run(net, layout, be, loader(data, 4), n -> { });
        long[][] expected = new long[layout.size()][4];                 // af, nf, ap, np
        net.eval();
        try (var ignored = Autograd.noGrad()) {
            for (int i = 0; i < data.size(); i++) {
                var b = loader(data, 1).batch(0, i);
                float[][] means = new float[layout.layers().size()][];
                var hooks = new java.util.ArrayList<org.archrepair.engine.nn.Module.HookHandle>();
                for (int l = 0; l < means.length; l++) {
                    int layer = l;
                    hooks.add(net.get(layout.layers().get(l).layer().norm()).addForwardHook((m, in, out) -> {
                        float[] v = out.toFloatArray();                   // (1, c, h, w): mean on the host
                        int c = out.dim(1), hw = v.length / c;
                        means[layer] = new float[c];
                        for (int ch = 0; ch < c; ch++) {
                            double s = 0;
                            for (int p = 0; p < hw; p++) s += v[ch * hw + p];
                            means[layer][ch] = (float) (s / hw);
                        }
                    }));
                }
                float[] logits = net.forward(Tensor.of(be, b.images(), b.shape())).toFloatArray();
                hooks.forEach(org.archrepair.engine.nn.Module.HookHandle::remove);
                int pred = 0;
                for (int c = 1; c < 10; c++) if (logits[c] > logits[pred]) pred = c;
                boolean failed = pred != b.labels()[0];
                for (int l = 0; l < means.length; l++)
                    for (int ch = 0; ch < means[l].length; ch++)
                        expected[layout.layers().get(l).offset() + ch][(failed ? 0 : 2) + (means[l][ch] > 0 ? 0 : 1)]++;
            }
        }
        int activeSomewhere = 0;
        for (int j = 0; j < layout.size(); j++) {
            Spectrum s = spectra[j];
            assertArrayEquals(expected[j], new long[]{s.failedActive(), s.failedInactive(), s.passedActive(),
                    s.passedInactive()}, "neuron " + j);
            assertEquals(6, s.failed() + s.passed());
            if (s.failedActive() + s.passedActive() > 0) activeSomewhere++;
        }
        assertTrue(activeSomewhere > 0 && activeSomewhere < layout.size(), "a spectrum with both kinds of neurons");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet20, 96 192 384", "resnet18, 256 640 1280 2560", "resnet50, 1408 3584 10240 11264"})
    void everyFamilyLocalizesWithTheSpecsNeuronCounts(String model, String counts) {
        Backend be = CpuBackend.fast(2);
        Network net = Models.create(model, new Init(be, new Rng(5)), 10);
        Localization loc = Localizer.run(net, be, noise(4, 6), noise(2, 7), Normalization.KUANGLIU,
                new Localizer.Config(Suspiciousness.TARANTULA, 50, Localizer.TABLE6_KS, 4, 2), (p, n) -> { }).localization();
        assertEquals(List.of(counts.split(" ")).stream().map(Integer::parseInt).toList(),
                loc.blocks().stream().map(Localization.Block::neurons).toList());
        assertTrue(net.candidateBlocks().stream().map(CandidateBlock::name).toList().contains(loc.chosen()));
        assertEquals(loc.neurons().size(), loc.blocks().stream().mapToInt(Localization.Block::neurons).sum());
    }

    @Test
    void densenetPairsLocalize() {
        Backend be = CpuBackend.fast(2);
        Network net = Models.create("densenet121", new Init(be, new Rng(5)), 10);
        Localization loc = Localizer.run(net, be, noise(3, 6), noise(2, 7), Normalization.KUANGLIU,
                new Localizer.Config(Suspiciousness.TARANTULA, 50, Localizer.TABLE6_KS, 3, 2), (p, n) -> { }).localization();
        assertEquals(29, loc.blocks().size());
        assertTrue(loc.blocks().stream().allMatch(b -> b.neurons() == 320));
        assertEquals("dense1.0-1", loc.blocks().get(0).name());
    }
}
