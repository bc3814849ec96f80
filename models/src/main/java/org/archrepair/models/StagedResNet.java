package org.archrepair.models;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.BatchNorm2d;
import org.archrepair.engine.nn.Conv2d;
import org.archrepair.engine.nn.Linear;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape both ResNet families share: stem conv1 + bn1 + ReLU, stages layer1..layerN of residual
 * units, global average pooling, a linear head; each stage is one candidate block. Subclasses build
 * the modules (registered through {@link #stem}, {@link #stage}, {@link #head}, in that order).
 */
abstract class StagedResNet extends Network {
    private Conv2d conv1;
    private BatchNorm2d bn1;
    private final List<Sequential> layers = new ArrayList<>();
    private Linear linear;

    protected StagedResNet(String name, int classes) {
        super(name, classes);
    }

    protected final void stem(Conv2d conv, BatchNorm2d bn) {
        conv1 = child("conv1", conv);
        bn1 = child("bn1", bn);
    }

    /** The next stage, "layer1", "layer2", ...; units are ResidualUnit modules. */
    protected final void stage(List<Module> units) {
        for (Module u : units)
            if (!(u instanceof ResidualUnit)) throw new IllegalArgumentException(u + " is not a residual unit");
        layers.add(child("layer" + (layers.size() + 1), new Sequential(units)));
    }

    protected final void head(Linear fc) {
        linear = child("linear", fc);
    }

    @Override
    protected Tensor compute(Tensor x) {
        Tensor out = Ops.relu(bn1.forward(conv1.forward(x)));
        for (Sequential layer : layers) out = layer.forward(out);
        return linear.forward(Ops.globalAvgPool(out));
    }

    /** One block per stage (ALGORITHM.md 4.1), its neurons the output channels of every conv in it. */
    @Override
    public List<CandidateBlock> candidateBlocks() {
        List<CandidateBlock> out = new ArrayList<>();
        for (int s = 0; s < layers.size(); s++) {
            String stage = "layer" + (s + 1);
            List<String> units = new ArrayList<>();
            List<CandidateBlock.NeuronLayer> convs = new ArrayList<>();
            layers.get(s).children().forEach((b, unit) -> {
                units.add(stage + "." + b);
                convs.addAll(((ResidualUnit) unit).neuronLayers(stage + "." + b));
            });
            out.add(new CandidateBlock(stage, units, convs));
        }
        return out;
    }
}
