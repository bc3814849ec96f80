package org.archrepair.repair.search;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.Module;

import java.util.List;

/**
 * An edge e_(i,j) of a cell (the paper's Eq. 7): it maps node X^i to its contribution to X^j.
 * The original layer (ORIG) may read another input than X^i (a DenseNet layer reads the
 * concatenation of what came before), so the cell hands it both.
 *
 * <p>Partial channels (PC-DARTS, K > 1): generic ops see only the first C/K channels of their
 * input; the other channels bypass them, scaled by the total weight of the generic ops other than
 * 'none' ({@link MixedEdge}), so an edge whose weight is all on 'none' (or all on ORIG) passes
 * nothing through the bypass. Channels are not shuffled: with inherited weights downstream, a
 * permutation would change what every later layer reads (ALGORITHM.md 6.2, point 8).
 */
public abstract class Edge extends Module {
    public final int from, to;

    protected Edge(int from, int to) {
        if (from < 0 || to <= from) throw new IllegalArgumentException("edge " + from + " -> " + to);
        this.from = from;
        this.to = to;
    }

    /** x: X^from; origInput: what the original layer reads. */
    public abstract Tensor run(Tensor x, Tensor origInput);

    @Override
    protected final Tensor compute(Tensor x) {
        return run(x, x);
    }

    /** The child name of edge (i, j) in its cell: "e0_2". */
    public static String name(int from, int to) {
        return "e" + from + "_" + to;
    }

    /** x[:, :c/K] and x[:, c/K:]. */
    static List<Tensor> splitChannels(Tensor x, int partial) {
        int c = x.dim(1), c1 = c / partial;
        return List.of(Ops.narrowChannels(x, 0, c1), Ops.narrowChannels(x, c1, c - c1));
    }

    /** w[start : start + count] of a rank-1 tensor, differentiable. */
    static Tensor slice(Tensor w, int start, int count) {
        return Ops.narrowChannels(w.reshape(1, w.dim(0)), start, count).reshape(count);
    }
}
