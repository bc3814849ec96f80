package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.DeviceBuffer;

/** y = a x + b for scalar constants a, b; dx = a dy. */
public final class Affine extends Function {
    private final float a;

    private Affine(Tensor x, float a) {
        super(x);
        this.a = a;
    }

    public static Tensor apply(Tensor x, float a, float b) {
        DeviceBuffer y = Buffers.floats(x.backend(), x.numel());
        x.backend().affine(x.data(), y, a, b);
        return Tensor.result(y, x.shape(), new Affine(x, a));
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        return new Tensor[]{a == 1f ? dy : Broadcasting.scaled(dy, a)};
    }
}
