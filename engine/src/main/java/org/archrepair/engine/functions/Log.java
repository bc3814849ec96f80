package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.UnaryOp;

/** y = ln x; dx = dy / x */
public final class Log extends Function {
    private final Tensor x;

    private Log(Tensor x) {
        super(x);
        this.x = x;
    }

    public static Tensor apply(Tensor x) {
        DeviceBuffer y = Buffers.floats(x.backend(), x.numel());
        x.backend().unary(UnaryOp.LOG, x.data(), y);
        return Tensor.result(y, x.shape(), new Log(x));
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        return new Tensor[]{Broadcasting.apply(BinaryOp.DIV, dy, x)};
    }
}
