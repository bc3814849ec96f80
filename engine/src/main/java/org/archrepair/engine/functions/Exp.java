package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.UnaryOp;

/** y = e^x; dx = dy * y */
public final class Exp extends Function {
    private Tensor y;

    private Exp(Tensor x) {
        super(x);
    }

    public static Tensor apply(Tensor x) {
        DeviceBuffer y = Buffers.floats(x.backend(), x.numel());
        x.backend().unary(UnaryOp.EXP, x.data(), y);
        Exp fn = new Exp(x);
        Tensor out = Tensor.result(y, x.shape(), fn);
        fn.y = out.detach();
        return out;
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        return new Tensor[]{Broadcasting.apply(BinaryOp.MUL, dy, y)};
    }
}
