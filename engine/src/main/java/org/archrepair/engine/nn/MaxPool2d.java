package org.archrepair.engine.nn;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;

/** Max pooling as torch.nn.MaxPool2d (floor mode). */
public class MaxPool2d extends Module {
    public final int kernel, stride, padding;

    public MaxPool2d(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    protected Tensor compute(Tensor x) {
        return Ops.maxPool2d(x, kernel, stride, padding);
    }

    @Override
    public String toString() {
        return "MaxPool2d(" + kernel + ", " + stride + ", " + padding + ")";
    }
}
