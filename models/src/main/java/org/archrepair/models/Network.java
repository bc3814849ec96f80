package org.archrepair.models;

import org.archrepair.engine.nn.Module;

import java.util.List;

/**
 * An image classifier the repair can work on: a module from (n, 3, h, w) images to (n, classes)
 * logits that names its candidate blocks.
 */
public abstract class Network extends Module {
    private final String name;
    private final int classes;

    protected Network(String name, int classes) {
        this.name = name;
        this.classes = classes;
    }

    /** The factory name ("resnet20", "resnet18", "densenet121"). */
    public final String name() {
        return name;
    }

    public final int classes() {
        return classes;
    }

    /** The blocks localization ranks and the search may relax, in forward order. */
    public abstract List<CandidateBlock> candidateBlocks();

    /**
     * Run replacement where the block's units ran: the forward pass and the state dict change
     * together (the replacement's tensors appear under the block's name, e.g. "layer3.0.conv1" or
     * "dense2.4-5.edges...").
     */
    public abstract void replaceBlock(CandidateBlock block, Module replacement);

    /** The candidate block of this name; fails listing the names there are. */
    public final CandidateBlock candidateBlock(String blockName) {
        List<CandidateBlock> all = candidateBlocks();
        return all.stream().filter(b -> b.name().equals(blockName)).findFirst().orElseThrow(() ->
                new IllegalArgumentException(name + " has no candidate block '" + blockName + "'; it has "
                        + String.join(", ", all.stream().map(CandidateBlock::name).toList())));
    }

    @Override
    public String toString() {
        return name;
    }
}
