package org.archrepair.repair.search;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.Module;

import java.util.List;

/**
 * An edge with one operation: the original layer, or a generic op (behind its adapter; with
 * partial channels, the op on the first C/K channels and the rest passed through, as the relaxed
 * edge computes it when all its weight is on that op). The discretized block and the layer-level
 * relaxation are made of these. Children: "orig", or "adapter" (optional) and the op by its label.
 */
public final class FixedEdge extends Edge {
    private final Primitive primitive;
    private final int partial;
    private final boolean adapted;

    private FixedEdge(int from, int to, Primitive primitive, int partial, boolean adapted) {
        super(from, to);
        this.primitive = primitive;
        this.partial = partial;
        this.adapted = adapted;
    }

    public static FixedEdge orig(int from, int to, Module orig) {
        FixedEdge e = new FixedEdge(from, to, Primitive.ORIG, 1, false);
        e.child("orig", orig);
        return e;
    }

    /** op of primitive p (SKIP: an Identity) on adapter(x), or on x when adapter is null. */
    public static FixedEdge generic(int from, int to, Primitive p, Module adapter, Module op, int partial) {
        if (p == Primitive.NONE || p == Primitive.ORIG) throw new IllegalArgumentException(p.label() + " is not generic");
        FixedEdge e = new FixedEdge(from, to, p, partial, adapter != null);
        if (adapter != null) e.child("adapter", adapter);
        e.child(p.label(), op);
        return e;
    }

    public Primitive primitive() {
        return primitive;
    }

    @Override
    public Tensor run(Tensor x, Tensor origInput) {
        if (primitive == Primitive.ORIG) return forwardChild("orig", origInput);
        Tensor in = adapted ? forwardChild("adapter", x) : x;
        if (partial == 1) return forwardChild(primitive.label(), in);
        List<Tensor> parts = splitChannels(in, partial);
        return Ops.concatChannels(List.of(forwardChild(primitive.label(), parts.get(0)), parts.get(1)));
    }

    @Override
    public String toString() {
        return "FixedEdge(" + from + "->" + to + ", " + primitive.label() + ")";
    }
}
