package org.archrepair.models;

import java.util.List;

/** A residual unit (or dense layer) that names its convs and the BNs after them, for localization. */
public interface ResidualUnit {
    /** The unit's convs, under the unit's module path, in forward order. */
    List<CandidateBlock.NeuronLayer> neuronLayers(String path);
}
