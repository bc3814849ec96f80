package org.archrepair.repair.localize;

import org.archrepair.models.CandidateBlock;

import java.util.ArrayList;
import java.util.List;

/**
 * The neurons of a network's candidate blocks in one flat order: block by block, conv by conv,
 * channel by channel. Neuron j lives in layer {@link #layerOf} at channel j - {@link #offset}.
 */
public final class NeuronLayout {
    /** One conv of a block with where its neurons start in the flat order. */
    public record Layer(int block, CandidateBlock.NeuronLayer layer, int offset) {
        public int channels() {
            return layer.channels();
        }
    }

    private final List<CandidateBlock> blocks;
    private final List<Layer> layers = new ArrayList<>();
    private final int size;

    public NeuronLayout(List<CandidateBlock> blocks) {
        if (blocks.isEmpty()) throw new IllegalArgumentException("a model without candidate blocks cannot be localized");
        this.blocks = List.copyOf(blocks);
        int at = 0;
        for (int b = 0; b < blocks.size(); b++)
            for (CandidateBlock.NeuronLayer l : blocks.get(b).layers()) {
                layers.add(new Layer(b, l, at));
                at += l.channels();
            }
        this.size = at;
    }

    public List<CandidateBlock> blocks() {
        return blocks;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Number of neurons. */
    public int size() {
        return size;
    }

    /** Index of the layer that holds neuron j. */
    public int layerOf(int j) {
        int lo = 0, hi = layers.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (layers.get(mid).offset() <= j) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    public int blockOf(int j) {
        return layers.get(layerOf(j)).block();
    }

    public int channelOf(int j) {
        return j - layers.get(layerOf(j)).offset();
    }
}
