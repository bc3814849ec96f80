package org.archrepair.engine.autograd;

import org.archrepair.engine.Tensor;

/**
 * One differentiable operation in the graph: it keeps its inputs (and whatever its backward needs)
 * and maps the gradient of its output to the gradients of its inputs.
 *
 * <p>Subclasses live in {@code engine.functions}, one small class per op, with a static
 * {@code apply} (forward) next to {@link #backward}, and the calculus in a one-line comment.
 * Backward runs with grad mode off: it is first-order only.
 */
public abstract class Function {
    private final Tensor[] inputs;

    protected Function(Tensor... inputs) {
        this.inputs = inputs;
    }

    /** Inputs in the order backward returns their gradients. */
    public final Tensor[] inputs() {
        return inputs;
    }

    public final boolean anyInputRequiresGrad() {
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /** Whether input i needs a gradient (backwards may skip work for the others). */
    protected final boolean needsGrad(int i) {
        return inputs[i] != null && inputs[i].requiresGrad();
    }

    /**
     * Gradients w.r.t. each input, given dy, the gradient w.r.t. the output (same shape as it).
     * An entry may be null when that input needs no gradient.
     */
    public abstract Tensor[] backward(Tensor dy);

    /** Name for error messages and graph dumps. */
    public String name() {
        return getClass().getSimpleName();
    }
}
