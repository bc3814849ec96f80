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

    @Override
    public String toString() {
        return name;
    }
}
