package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;

/** y[n, c] = mean over h, w of x[n, c]; dx[n, c, :, :] = dy[n, c] / (h w). x: (n, c, h, w), y: (n, c). */
public final class GlobalAvgPool extends Function {
    private final int[] xShape;

    private GlobalAvgPool(Tensor x) {
        super(x);
        this.xShape = x.shape();
    }

    public static Tensor apply(Tensor x) {
        Buffers.requireRank(x, 4, "global_avg_pool", "input");
        int n = x.dim(0), c = x.dim(1), hw = x.dim(2) * x.dim(3);
        Backend be = x.backend();
        Tensor y = Buffers.tensor(be, n, c);
        be.globalAvgPoolForward(n, c, hw, x.data(), y.data());
        return Tensor.result(y.data(), y.shape(), new GlobalAvgPool(x));
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Tensor dx = Buffers.tensor(dy.backend(), xShape);
        dy.backend().globalAvgPoolBackward(xShape[0], xShape[1], xShape[2] * xShape[3], dy.data(), dx.data());
        return new Tensor[]{dx};
    }
}
