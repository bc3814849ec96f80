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
 * The forward pass looks every stage up by name, so {@link #replaceBlock} swaps what runs.
 */
abstract class StagedResNet extends Network {
    private int stages;

    protected StagedResNet(String name, int classes) {
        super(name, classes);
    }

    protected final void stem(Conv2d conv, BatchNorm2d bn) {
        child("conv1", conv);
        child("bn1", bn);
    }

    /** The next stage, "layer1", "layer2", ...; units are ResidualUnit modules. */
    protected final void stage(List<Module> units) {
        for (Module u : units)
            if (!(u instanceof ResidualUnit)) throw new IllegalArgumentException(u + " is not a residual unit");
        child("layer" + (++stages), new Sequential(units));
    }

    protected final void head(Linear fc) {
        child("linear", fc);
    }

    @Override
    protected Tensor compute(Tensor x) {
        Tensor out = Ops.relu(forwardChild("bn1", forwardChild("conv1", x)));
        for (int s = 1; s <= stages; s++) out = forwardChild("layer" + s, out);
        return forwardChild("linear", Ops.globalAvgPool(out));
    }

    /** One block per stage (ALGORITHM.md 4.1), its neurons the output channels of every conv in it. */
    @Override
    public List<CandidateBlock> candidateBlocks() {
        List<CandidateBlock> out = new ArrayList<>();
        for (int s = 1; s <= stages; s++) {
            String stage = "layer" + s;
            List<String> units = new ArrayList<>();
            List<CandidateBlock.NeuronLayer> convs = new ArrayList<>();
            get(stage).children().forEach((b, unit) -> {
                if (!(unit instanceof ResidualUnit r))
                    throw new IllegalStateException(stage + "." + b + " was replaced: candidate blocks are those of the network as built");
                units.add(stage + "." + b);
                convs.addAll(r.neuronLayers(stage + "." + b));
            });
            out.add(new CandidateBlock(stage, units, convs));
        }
        return out;
    }

    /** The stage's whole Sequential gives way to block (which keeps the name "layerN"). */
    @Override
    public void replaceBlock(CandidateBlock block, Module replacement) {
        if (!children().containsKey(block.name()) || !block.name().startsWith("layer"))
            throw new IllegalArgumentException(name() + " has no stage " + block.name());
        replaceChild(block.name(), replacement);
    }
}
