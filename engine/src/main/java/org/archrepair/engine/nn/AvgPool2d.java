package org.archrepair.engine.nn;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;

/** Average pooling as torch.nn.AvgPool2d with count_include_pad = false (the DARTS convention). */
public class AvgPool2d extends Module {
    public final int kernel, stride, padding;

    public AvgPool2d(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    protected Tensor compute(Tensor x) {
        return Ops.avgPool2d(x, kernel, stride, padding);
    }

    @Override
    public String toString() {
        return "AvgPool2d(" + kernel + ", " + stride + ", " + padding + ")";
    }
}
