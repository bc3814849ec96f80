package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.UnaryOp;

/** y = max(x, 0); dx = dy * (y > 0) */
public final class Relu extends Function {
    private Tensor y;

    private Relu(Tensor x) {
        super(x);
    }

    public static Tensor apply(Tensor x) {
        DeviceBuffer y = Buffers.floats(x.backend(), x.numel());
        x.backend().unary(UnaryOp.RELU, x.data(), y);
        Relu fn = new Relu(x);
        Tensor out = Tensor.result(y, x.shape(), fn);
        fn.y = out.detach();
        return out;
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        DeviceBuffer dx = Buffers.floats(dy.backend(), dy.numel());
        dy.backend().reluBackward(y.data(), dy.data(), dx);
        return new Tensor[]{Tensor.wrap(dx, dy.shape())};
    }
}
