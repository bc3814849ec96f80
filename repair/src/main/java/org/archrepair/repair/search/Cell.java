package org.archrepair.repair.search;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * A block unit as a directed acyclic graph (the paper's Eq. 7): nodes X^0 .. X^K, X^0 the unit's
 * input, and X^j = f(sum over the edges (i, j) of e_(i,j)(X^i)) with f = ReLU for residual units
 * (which reproduces ResNet: ReLU after bn1, after bn2, after the add) and the identity for
 * DenseNet's pre-activation layers. Edges are {@link MixedEdge}s while searching, {@link FixedEdge}s
 * after discretization; a cell may mix both (the layer-level variant relaxes one edge only).
 *
 * <p>With edge normalization (PC-DARTS), node j sums its n_j incoming edges with weights
 * n_j softmax(beta_j): beta = 0 gives every edge weight 1, so a residual path and its shortcut keep
 * unit weights. The betas, like the alphas, are architecture parameters held outside the state dict.
 */
public final class Cell extends Module {
    private final int nodes;
    private final boolean nodeRelu;
    private final Wiring wiring;
    private final List<List<Edge>> incoming = new ArrayList<>();
    private final Tensor[] betas;

    /**
     * @param nodes K + 1
     * @param edges every present edge; a node j >= 1 must have at least one
     * @param betas per node j >= 1 ((in-degree) logits), or null without edge normalization
     */
    Cell(int nodes, List<? extends Edge> edges, boolean nodeRelu, Wiring wiring, Tensor[] betas) {
        this.nodes = nodes;
        this.nodeRelu = nodeRelu;
        this.wiring = wiring;
        for (int j = 0; j < nodes; j++) incoming.add(new ArrayList<>());
        for (Edge e : edges) {
            if (e.to >= nodes) throw new IllegalArgumentException("edge " + e.from + "->" + e.to + " in a cell of " + nodes);
            incoming.get(e.to).add(e);
        }
        for (int j = 1; j < nodes; j++) {
            if (incoming.get(j).isEmpty()) throw new IllegalArgumentException("node " + j + " has no incoming edge");
            incoming.get(j).sort((a, b) -> Integer.compare(a.from, b.from));
            for (Edge e : incoming.get(j)) child(Edge.name(e.from, e.to), e);
        }
        if (betas != null && betas.length != nodes)
            throw new IllegalArgumentException(betas.length + " betas for " + nodes + " nodes");
        this.betas = betas;
    }

    public int nodes() {
        return nodes;
    }

    public boolean nodeRelu() {
        return nodeRelu;
    }

    public Wiring wiring() {
        return wiring;
    }

    /** The edges into node j, by ascending source. */
    public List<Edge> incoming(int j) {
        return List.copyOf(incoming.get(j));
    }

    /** Every edge, by target then source. */
    public List<Edge> edges() {
        List<Edge> all = new ArrayList<>();
        for (int j = 1; j < nodes; j++) all.addAll(incoming.get(j));
        return all;
    }

    /** The edge-normalization logits of node j, or null. */
    public Tensor beta(int j) {
        return betas == null ? null : betas[j];
    }

    @Override
    protected Tensor compute(Tensor x) {
        List<Tensor> values = new ArrayList<>(nodes);
        values.add(x);
        for (int j = 1; j < nodes; j++) {
            List<Edge> in = incoming.get(j);
            List<Tensor> outs = new ArrayList<>(in.size());
            for (Edge e : in) outs.add(e.run(values.get(e.from), wiring.origInput(values, e)));
            Tensor sum;
            if (betas != null && betas[j] != null)
                sum = Ops.mixedSum(outs, Ops.affine(Ops.softmax(betas[j]), in.size(), 0f));
            else {
                sum = outs.get(0);
                for (int k = 1; k < outs.size(); k++) sum = Ops.add(sum, outs.get(k));
            }
            values.add(nodeRelu ? Ops.relu(sum) : sum);
        }
        return wiring.output(values);
    }

    @Override
    public String toString() {
        return "Cell(" + nodes + " nodes, " + edges().size() + " edges)";
    }
}
