package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.Pool2dSpec;

/** y = max over each window (padding never wins); dx = dy routed to the argmax of its window. */
public final class MaxPool2d extends Function {
    private final Pool2dSpec spec;
    private final DeviceBuffer argmax;

    private MaxPool2d(Tensor x, Pool2dSpec spec, DeviceBuffer argmax) {
        super(x);
        this.spec = spec;
        this.argmax = argmax;
    }

    public static Tensor apply(Tensor x, int kernel, int stride, int padding) {
        Buffers.requireRank(x, 4, "max_pool2d", "input");
        Pool2dSpec spec = Pool2dSpec.of(x.dim(0), x.dim(1), x.dim(2), x.dim(3), kernel, stride, padding);
        Backend be = x.backend();
        Tensor y = Buffers.tensor(be, spec.n(), spec.c(), spec.p(), spec.q());
        DeviceBuffer argmax = be.allocateUninitialized(DType.I32, spec.yLength());
        be.maxPool2dForward(spec, x.data(), y.data(), argmax);
        return Tensor.result(y.data(), y.shape(), new MaxPool2d(x, spec, argmax));
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Tensor dx = Buffers.tensor(dy.backend(), spec.n(), spec.c(), spec.h(), spec.w());
        dy.backend().maxPool2dBackward(spec, dy.data(), argmax, dx.data());
        return new Tensor[]{dx};
    }
}
