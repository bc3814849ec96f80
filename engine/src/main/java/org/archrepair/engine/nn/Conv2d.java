package org.archrepair.engine.nn;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;

/**
 * 2-D convolution layer as torch.nn.Conv2d: weight (out, in/groups, k, k), optional bias (out),
 * PyTorch's default initialization. x: (n, in, h, w) to (n, out, p, q).
 */
public class Conv2d extends Module {
    public final int in, out, kernel, stride, padding, dilation, groups;
    public final Tensor weight, bias;

    public Conv2d(Init init, int in, int out, int kernel, int stride, int padding, int dilation, int groups,
                  boolean bias) {
        if (in % groups != 0 || out % groups != 0)
            throw new IllegalArgumentException("Conv2d: groups " + groups + " must divide " + in + " and " + out);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        int fanIn = in / groups * kernel * kernel;
        this.weight = parameter("weight", init.defaultWeight(fanIn, out, in / groups, kernel, kernel));
        this.bias = bias ? parameter("bias", init.defaultBias(fanIn, out)) : null;
    }

    /** No bias, no dilation, one group: the convs of ResNets. */
    public Conv2d(Init init, int in, int out, int kernel, int stride, int padding) {
        this(init, in, out, kernel, stride, padding, 1, 1, false);
    }

    @Override
    protected Tensor compute(Tensor x) {
        Tensor y = Ops.conv2d(x, weight, stride, padding, dilation, groups);
        return bias == null ? y : Ops.add(y, bias.reshape(1, out, 1, 1));
    }

    @Override
    public String toString() {
        return "Conv2d(" + in + ", " + out + ", k=" + kernel + ", s=" + stride + ", p=" + padding
                + (dilation != 1 ? ", d=" + dilation : "") + (groups != 1 ? ", g=" + groups : "")
                + (bias == null ? ", bias=false" : "") + ")";
    }
}
