package org.archrepair.models;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.BatchNorm2d;
import org.archrepair.engine.nn.Conv2d;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.Linear;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * DenseNet-121 for CIFAR as kuangliu/pytorch-cifar (models/densenet.py): growth 32, bottleneck
 * layers [6, 12, 24, 16], reduction 0.5, pre-activation layers. Stem conv3x3(3 -> 64); each dense
 * layer outputs cat([new 32 channels, its input]); transitions BN-ReLU-conv1x1-avgpool2 halve the
 * channels; head BN-ReLU-avgpool-linear. Names match kuangliu's state_dict.
 */
public final class DenseNet extends Network {
    private static final int GROWTH = 32;
    private final int stages;

    /** y = conv3x3(relu(bn2(conv1x1(relu(bn1(x)))))); out = cat([y, x]). */
    public static final class Bottleneck extends Module implements ResidualUnit {
        public final BatchNorm2d bn1, bn2;
        public final Conv2d conv1, conv2;

        Bottleneck(Init init, int in, int growth) {
            bn1 = child("bn1", new BatchNorm2d(init, in));
            conv1 = child("conv1", new Conv2d(init, in, 4 * growth, 1, 1, 0));
            bn2 = child("bn2", new BatchNorm2d(init, 4 * growth));
            conv2 = child("conv2", new Conv2d(init, 4 * growth, growth, 3, 1, 1));
        }

        @Override
        protected Tensor compute(Tensor x) {
            Tensor out = forwardChild("conv1", Ops.relu(forwardChild("bn1", x)));
            out = forwardChild("conv2", Ops.relu(forwardChild("bn2", out)));
            return Ops.concatChannels(List.of(out, x));
        }

        /** conv1 (normalized by bn2) and conv2 (no BN of its own: it feeds the concatenation). */
        @Override
        public List<CandidateBlock.NeuronLayer> neuronLayers(String path) {
            return List.of(new CandidateBlock.NeuronLayer(path + ".conv1", path + ".bn2", conv1.out),
                    new CandidateBlock.NeuronLayer(path + ".conv2", null, conv2.out));
        }
    }

    /** avg_pool2d(conv1x1(relu(bn(x))), 2). */
    public static final class Transition extends Module {
        final BatchNorm2d bn;
        final Conv2d conv;

        Transition(Init init, int in, int out) {
            bn = child("bn", new BatchNorm2d(init, in));
            conv = child("conv", new Conv2d(init, in, out, 1, 1, 0));
        }

        @Override
        protected Tensor compute(Tensor x) {
            return Ops.avgPool2d(forwardChild("conv", Ops.relu(forwardChild("bn", x))), 2, 2, 0);
        }
    }

    private DenseNet(String name, Init init, int[] layersPerStage, int classes) {
        super(name, classes);
        int planes = 2 * GROWTH;
        child("conv1", new Conv2d(init, 3, planes, 3, 1, 1));
        stages = layersPerStage.length;
        for (int s = 0; s < layersPerStage.length; s++) {
            List<Module> layers = new ArrayList<>();
            for (int i = 0; i < layersPerStage[s]; i++) {
                layers.add(new Bottleneck(init, planes, GROWTH));
                planes += GROWTH;
            }
            child("dense" + (s + 1), new Sequential(layers));
            if (s < layersPerStage.length - 1) {
                int out = planes / 2;                     // floor(planes * reduction 0.5)
                child("trans" + (s + 1), new Transition(init, planes, out));
                planes = out;
            }
        }
        child("bn", new BatchNorm2d(init, planes));
        child("linear", new Linear(init, planes, classes));
    }

    public static DenseNet densenet121(Init init, int classes) {
        return new DenseNet("densenet121", init, new int[]{6, 12, 24, 16}, classes);
    }

    @Override
    protected Tensor compute(Tensor x) {
        Tensor out = forwardChild("conv1", x);
        for (int s = 1; s <= stages; s++) {
            out = forwardChild("dense" + s, out);
            if (s < stages) out = forwardChild("trans" + s, out);
        }
        return forwardChild("linear", Ops.globalAvgPool(Ops.relu(forwardChild("bn", out))));
    }

    /**
     * Pairs of consecutive bottlenecks inside each dense stage (ALGORITHM.md 4.1: 3 + 6 + 12 + 8 = 29
     * blocks), named "dense2.4-5". Neurons: conv1's 128 channels (normalized by the layer's bn2) and
     * conv2's 32 (no BN of their own: they feed the concatenation).
     */
    @Override
    public List<CandidateBlock> candidateBlocks() {
        List<CandidateBlock> out = new ArrayList<>();
        for (int s = 1; s <= stages; s++) {
            String stage = "dense" + s;
            List<String> names = new ArrayList<>(get(stage).children().keySet());
            for (int i = 0; i + 1 < names.size(); i += 2) {
                List<String> units = List.of(stage + "." + names.get(i), stage + "." + names.get(i + 1));
                List<CandidateBlock.NeuronLayer> convs = new ArrayList<>();
                for (String u : units) {
                    if (!(get(u) instanceof Bottleneck b))
                        throw new IllegalStateException(u + " was replaced: candidate blocks are those of the network as built");
                    convs.addAll(b.neuronLayers(u));
                }
                out.add(new CandidateBlock(stage + "." + names.get(i) + "-" + names.get(i + 1), units, convs));
            }
        }
        return out;
    }

    /**
     * The pair's two layers give way to one child named "i-j" in their stage, run where they ran;
     * a pair replaced before is replaced again.
     */
    @Override
    public void replaceBlock(CandidateBlock block, Module replacement) {
        List<String> units = block.units();
        String stage = units.get(0).substring(0, units.get(0).indexOf('.'));
        List<String> layers = units.stream().map(u -> u.substring(stage.length() + 1)).toList();
        if (!block.name().equals(stage + "." + String.join("-", layers)))
            throw new IllegalArgumentException(name() + ": " + block.name() + " is not a pair block of " + stage);
        Module dense = get(stage);
        String pair = String.join("-", layers);
        if (dense.children().containsKey(pair)) dense.replaceChild(pair, replacement);   // replaced before
        else dense.replaceChildren(layers, pair, replacement);
    }
}
