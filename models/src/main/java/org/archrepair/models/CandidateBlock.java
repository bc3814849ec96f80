package org.archrepair.models;

import java.util.List;

/**
 * A block that localization may blame and the search may relax (ALGORITHM.md section 4): a ResNet
 * stage ("layer3") or a DenseNet pair of consecutive bottlenecks ("dense2.4-5"). Its units are the
 * residual units (or dense layers) it is made of, by module path; its layers are every conv inside,
 * each output channel of which is one neuron.
 */
public record CandidateBlock(String name, List<String> units, List<NeuronLayer> layers) {

    public CandidateBlock {
        units = List.copyOf(units);
        layers = List.copyOf(layers);
    }

    /** Number of neurons (output channels of all its convs). */
    public int neuronCount() {
        return layers.stream().mapToInt(NeuronLayer::channels).sum();
    }

    /**
     * One conv of a block, by module path, with the batch norm that normalizes its output (whose
     * per-channel output, before ReLU and before the residual add, is the neuron's activation), or
     * null where no BN follows the conv directly (DenseNet's 3x3 convs feed a concatenation).
     */
    public record NeuronLayer(String conv, String norm, int channels) {
    }
}
