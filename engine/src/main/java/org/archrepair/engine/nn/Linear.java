package org.archrepair.engine.nn;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;

/** Fully connected layer as torch.nn.Linear: y = x W^T + b; x: (n, in), y: (n, out). */
public class Linear extends Module {
    public final int in, out;
    public final Tensor weight, bias;

    public Linear(Init init, int in, int out, boolean bias) {
        this.in = in;
        this.out = out;
        this.weight = parameter("weight", init.defaultWeight(in, out, in));
        this.bias = bias ? parameter("bias", init.defaultBias(in, out)) : null;
    }

    public Linear(Init init, int in, int out) {
        this(init, in, out, true);
    }

    @Override
    protected Tensor compute(Tensor x) {
        return Ops.linear(x, weight, bias);
    }

    @Override
    public String toString() {
        return "Linear(" + in + ", " + out + ")";
    }
}
