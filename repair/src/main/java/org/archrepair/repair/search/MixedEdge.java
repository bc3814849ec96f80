package org.archrepair.repair.search;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * A relaxed edge (the paper's Eq. 8): e(x) = sum_o softmax(alpha)_o o(x) over the generic
 * primitives (NONE contributes 0 but takes its share of the weight) and, on an edge that carries
 * an original layer, ORIG. Generic ops read the adapter's output when the edge changes shape.
 * The weighted sum is one backend primitive ({@link Ops#mixedSum}).
 *
 * <p>alpha is an architecture parameter: it requires grad but is not registered as a parameter,
 * so it never reaches the weight optimizer or the model's state dict; the search space holds it.
 * Children: "adapter" (optional), "orig" (optional), one per parametric or skip op by its label.
 */
public final class MixedEdge extends Edge {
    private final List<Primitive> primitives;
    private final Tensor alpha;
    private final int partial;
    private final boolean adapted, hasOrig;

    /**
     * @param adapter  conv1x1+BN (or the inherited shortcut projection) in front of the generic ops, or null
     * @param orig     the inherited original layer, or null
     * @param channels the channels the generic ops see before partial selection (X^j's)
     * @param original the primitive the raw block has here (ORIG, SKIP or NONE): logit alphaInit, the rest 0
     */
    MixedEdge(int from, int to, Init init, Module adapter, Module orig, int channels, int partial, Primitive original,
              double alphaInit) {
        super(from, to);
        if (channels % partial != 0)
            throw new IllegalArgumentException("partial channels: " + partial + " does not divide " + channels);
        this.partial = partial;
        this.adapted = adapter != null;
        this.hasOrig = orig != null;
        List<Primitive> ps = new ArrayList<>(Primitive.GENERIC);
        if (hasOrig) ps.add(Primitive.ORIG);
        this.primitives = List.copyOf(ps);
        if (!primitives.contains(original))
            throw new IllegalArgumentException("edge " + from + "->" + to + " has no " + original.label());
        if (adapter != null) child("adapter", adapter);
        for (Primitive p : Primitive.GENERIC)
            if (p != Primitive.NONE) child(p.label(), CandidateOps.op(p, init.fork(p.label()), channels / partial));
        if (orig != null) child("orig", orig);
        float[] logits = new float[primitives.size()];
        logits[primitives.indexOf(original)] = (float) alphaInit;
        this.alpha = Tensor.of(init.backend(), logits, logits.length).setRequiresGrad(true);
    }

    /** The architecture logits, (primitives().size()). */
    public Tensor alpha() {
        return alpha;
    }

    /** The primitives in logit order: the generic six, then ORIG where the edge has it. */
    public List<Primitive> primitives() {
        return primitives;
    }

    public int partial() {
        return partial;
    }

    @Override
    public Tensor run(Tensor x, Tensor origInput) {
        Tensor w = Ops.softmax(alpha);
        Tensor in = adapted ? forwardChild("adapter", x) : x;
        int generic = Primitive.GENERIC.size() - 1;                // SKIP .. DIL_CONV, logits 1 .. 5
        if (partial == 1) {
            List<Tensor> outs = new ArrayList<>();
            for (int o = 1; o <= generic; o++) outs.add(forwardChild(primitives.get(o).label(), in));
            if (hasOrig) outs.add(forwardChild("orig", origInput));
            return Ops.mixedSum(outs, slice(w, 1, outs.size()));
        }
        List<Tensor> parts = splitChannels(in, partial);
        List<Tensor> outs = new ArrayList<>();
        for (int o = 1; o <= generic; o++) outs.add(forwardChild(primitives.get(o).label(), parts.get(0)));
        Tensor wGeneric = slice(w, 1, generic);
        Tensor bypass = Ops.mixedSum(List.of(parts.get(1)), Ops.sum(wGeneric).reshape(1));
        Tensor y = Ops.concatChannels(List.of(Ops.mixedSum(outs, wGeneric), bypass));
        return hasOrig ? Ops.add(y, Ops.mixedSum(List.of(forwardChild("orig", origInput)), slice(w, generic + 1, 1))) : y;
    }

    /** The fixed edge of primitive p, taking over this edge's modules (its weights as trained). */
    FixedEdge fix(Primitive p) {
        if (p == Primitive.NONE || !primitives.contains(p))
            throw new IllegalArgumentException("cannot fix edge " + from + "->" + to + " to " + p.label());
        if (p == Primitive.ORIG) return FixedEdge.orig(from, to, get("orig"));
        return FixedEdge.generic(from, to, p, adapted ? get("adapter") : null, get(p.label()), partial);
    }

    @Override
    public String toString() {
        return "MixedEdge(" + from + "->" + to + ", " + primitives.size() + " ops" + (partial > 1 ? ", 1/" + partial : "")
                + ")";
    }
}
