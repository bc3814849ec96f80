package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.Pool2dSpec;

/**
 * y = mean over the in-image part of each window (count_include_pad = false);
 * dx = dy / window size spread over the window.
 */
public final class AvgPool2d extends Function {
    private final Pool2dSpec spec;

    private AvgPool2d(Tensor x, Pool2dSpec spec) {
        super(x);
        this.spec = spec;
    }

    public static Tensor apply(Tensor x, int kernel, int stride, int padding) {
        Buffers.requireRank(x, 4, "avg_pool2d", "input");
        Pool2dSpec spec = Pool2dSpec.of(x.dim(0), x.dim(1), x.dim(2), x.dim(3), kernel, stride, padding);
        Backend be = x.backend();
        Tensor y = Buffers.tensor(be, spec.n(), spec.c(), spec.p(), spec.q());
        be.avgPool2dForward(spec, x.data(), y.data());
        return Tensor.result(y.data(), y.shape(), new AvgPool2d(x, spec));
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Tensor dx = Buffers.tensor(dy.backend(), spec.n(), spec.c(), spec.h(), spec.w());
        dy.backend().avgPool2dBackward(spec, dy.data(), dx.data());
        return new Tensor[]{dx};
    }
}
