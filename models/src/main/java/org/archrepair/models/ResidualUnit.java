package org.archrepair.models;

import java.util.List;

/**
 * A residual unit (or a DenseNet dense layer) that names its convs and the BN after each (null where
 * none follows), for localization.
 */
public interface ResidualUnit {
    /** The unit's convs, under the unit's module path, in forward order. */
    List<CandidateBlock.NeuronLayer> neuronLayers(String path);
}
