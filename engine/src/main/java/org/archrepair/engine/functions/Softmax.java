package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;

/** y = softmax over the last dimension; dx = y (dy - sum(dy y)) row by row. */
public final class Softmax extends Function {
    private Tensor y;
    private final int rows, cols;

    private Softmax(Tensor x) {
        super(x);
        this.cols = x.dim(-1);
        this.rows = (int) (x.numel() / cols);
    }

    public static Tensor apply(Tensor x) {
        if (x.rank() < 1) throw new IllegalArgumentException("softmax of a scalar");
        Softmax fn = new Softmax(x);
        Backend be = x.backend();
        Tensor y = Buffers.tensor(be, x.shape());
        be.softmaxForward(fn.rows, fn.cols, x.data(), y.data());
        Tensor out = Tensor.result(y.data(), y.shape(), fn);
        fn.y = out.detach();
        return out;
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Tensor dx = Buffers.tensor(dy.backend(), dy.shape());
        dy.backend().softmaxBackward(rows, cols, y.data(), dy.data(), dx.data());
        return new Tensor[]{dx};
    }
}
