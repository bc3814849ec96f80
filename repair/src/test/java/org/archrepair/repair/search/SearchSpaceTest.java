package org.archrepair.repair.search;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.CandidateBlock;
import org.archrepair.models.Models;
import org.archrepair.models.Network;
import org.archrepair.models.checkpoint.Checkpoints;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.Cifar10;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Normalization;
import org.archrepair.models.data.Split;
import org.archrepair.repair.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The relaxed and the discretized block against the raw one, on real CIFAR-10 images. */
class SearchSpaceTest {
    private static final Backend BE = CpuBackend.fast(2);
    private static ImageDataset images;

    @BeforeAll
    static void load() throws IOException {
        ImageDataset test = Cifar10.load(TestData.require("cifar10"), Split.TEST);
        images = test.subset("first 8", new int[]{0, 1, 2, 3, 4, 5, 6, 7});
    }

    private static Network model(String name) throws IOException {
        Network net = Models.create(name, new Init(BE, new Rng(11)), 10);
        if (name.equals("resnet20")) Checkpoints.loadInto(net, TestData.require("pretrained/resnet20-12fca82f.th"));
        net.eval();
        return net;
    }

    private static float[] logits(Network net) {
        Normalization norm = net.name().equals("resnet20") ? Normalization.AKAMASTER : Normalization.KUANGLIU;
        var b = new BatchLoader(images, BatchLoader.Config.eval(8, norm).withPrefetch(0), new Rng(0)).batch(0, 0);
        try (var ignored = Autograd.noGrad()) {
            return net.forward(Tensor.of(BE, b.images(), b.shape())).toFloatArray();
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        double scale = 0, worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= 1e-5 * Math.max(1, scale), what + ": worst difference " + worst + " at scale " + scale);
    }

    @ParameterizedTest(name = "{0} {1}, partial {2}, edge norm {3}")
    @CsvSource({"resnet20, layer3, 1, false", "resnet20, layer2, 4, true", "resnet18, layer2, 1, false",
            "resnet18, layer3, 2, true", "densenet121, dense2.4-5, 1, false", "densenet121, dense1.2-3, 4, true"})
    void allWeightOnTheOriginalOpsIsTheOriginalNetwork(String name, String blockName, int partial, boolean edgeNorm)
            throws IOException {
        Network net = model(name);
        float[] before = logits(net);
        CandidateBlock block = net.candidateBlock(blockName);
        SearchSpace space = SearchSpace.relax(net, block, new SearchSpace.Config(SearchSpace.Level.BLOCK, partial,
                edgeNorm, 1e4), null, new Init(BE, new Rng(3)));
        net.eval();
        assertClose(before, logits(net), "relaxed");
        assertTrue(net.parameters().stream().noneMatch(p -> space.architectureParameters().containsValue(p)),
                "architecture parameters are not module parameters");
        assertTrue(net.stateDict().keySet().stream().noneMatch(k -> k.contains("alpha") || k.contains("beta")));
        // the genotype of the raw block, discretized: the original network again
        Genotype g = space.genotype();
        assertEquals(0, g.changedEdges(space.specs()), g.toString());
        space.discretize(g);
        net.eval();
        assertClose(before, logits(net), "discretized");
        // and the architecture rebuilt in a fresh model loads those weights to the same logits
        Map<String, HostArray> state = StateDicts.toHost(net);
        Network fresh = Models.create(name, new Init(BE, new Rng(99)), 10);
        SearchSpace.rebuild(fresh, Genotype.fromJson(castMap(g.toJson())), new Init(BE, new Rng(5)));
        assertTrue(StateDicts.load(fresh, state, true).clean());
        fresh.eval();
        assertArrayEquals(logits(net), logits(fresh));
    }

    @Test
    void alphaDefaultsLeanOnTheRawBlockAndAnEdgeOfOnlyNoneDisconnects() throws IOException {
        Network net = model("resnet20");
        SearchSpace space = SearchSpace.relax(net, net.candidateBlock("layer3"),
                new SearchSpace.Config(SearchSpace.Level.BLOCK, 4, false, 4), null, new Init(BE, new Rng(3)));
        assertEquals(9, space.mixedEdges().size());
        float[] w = space.edgeWeights().get("layer3.0/e0_1");
        assertEquals(7, w.length);
        assertEquals(Math.exp(4) / (Math.exp(4) + 6), w[6], 1e-6);                 // ORIG
        assertEquals(Math.exp(4) / (Math.exp(4) + 5), space.edgeWeights().get("layer3.0/e0_2")[1], 1e-6);  // SKIP
        // all weight on 'none' for the shortcut and the second conv of unit 2: its output is relu(0) = 0 ...
        net.eval();
        MixedEdge shortcut = space.mixedEdges().get("layer3.2/e0_2"), second = space.mixedEdges().get("layer3.2/e1_2");
        for (MixedEdge e : List.of(shortcut, second)) {
            float[] logits = new float[e.primitives().size()];
            logits[0] = 1e4f;
            e.alpha().copyFrom(logits);
        }
        Tensor x = Tensor.of(BE, new Rng(1).normal(2 * 64 * 8 * 8, 1f), 2, 64, 8, 8);
        try (var ignored = Autograd.noGrad()) {
            for (float v : space.cells().get("layer3.2").forward(x).toFloatArray()) assertEquals(0f, v);
        }
        // ... and the guard keeps node 2 fed by its strongest other op
        Genotype g = space.genotype();
        assertNotEquals(Primitive.NONE, g.cell("layer3.2").op(0, 2) == Primitive.NONE ? g.cell("layer3.2").op(1, 2)
                : g.cell("layer3.2").op(0, 2));
    }

    @Test
    void layerLevelRelaxesOneEdge() throws IOException {
        Network net = model("resnet20");
        float[] before = logits(net);
        SearchSpace space = SearchSpace.relax(net, net.candidateBlock("layer2"),
                new SearchSpace.Config(SearchSpace.Level.LAYER, 1, false, 1e4), "layer2.1.conv2", new Init(BE, new Rng(3)));
        assertEquals(List.of("layer2.1/e1_2"), List.copyOf(space.mixedEdges().keySet()));
        net.eval();
        assertClose(before, logits(net), "layer-level relaxed");
        assertTrue(net.stateDict().containsKey("layer2.0.conv1.weight"), "the other units stay as they were");
        MixedEdge mixed = space.mixedEdges().get("layer2.1/e1_2");
        assertEquals(List.of(mixed), space.trainable(), "layer level trains the relaxed edge only");
        assertTrue(space.module().parameters().size() > mixed.parameters().size() + 10, "the block has more to train");
        Genotype g = space.genotype();
        space.discretize(g);
        assertEquals(1, space.trainable().size(), "after discretization: the chosen op of that edge");
        assertEquals(g.cell("layer2.1").op(1, 2), ((FixedEdge) space.trainable().getFirst()).primitive());
        Network third = model("resnet20");
        SearchSpace whole = SearchSpace.relax(third, third.candidateBlock("layer2"),
                new SearchSpace.Config(SearchSpace.Level.BLOCK, 1, false, 4), null, new Init(BE, new Rng(3)));
        assertEquals(List.of(whole.module()), whole.trainable(), "block level trains the whole block");
        Network other = model("resnet20");
        assertThrows(IllegalArgumentException.class, () -> SearchSpace.relax(other,
                other.candidateBlock("layer1"), new SearchSpace.Config(SearchSpace.Level.LAYER, 1, false, 4), "layer2.1.conv2",
                new Init(BE, new Rng(3))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<String, Object> m) {
        return org.archrepair.repair.report.Reports.readObject(org.archrepair.repair.report.Reports.json(m), "genotype");
    }
}
