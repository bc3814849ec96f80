package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;

/**
 * y = x W^T + b with x: (n, in), W: (out, in), b: (out) or null; y: (n, out).
 * dx = dy W; dW = dy^T x; db = sum over n of dy.
 */
public final class Linear extends Function {
    private final Tensor x, weight;

    private Linear(Tensor x, Tensor weight, Tensor bias) {
        super(x, weight, bias);
        this.x = x;
        this.weight = weight;
    }

    public static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
        Buffers.requireRank(x, 2, "linear", "input");
        Buffers.requireRank(weight, 2, "linear", "weight");
        int n = x.dim(0), in = x.dim(1), out = weight.dim(0);
        if (weight.dim(1) != in)
            throw new IllegalArgumentException("linear: input has " + in + " features, weight expects " + weight.dim(1));
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != out))
            throw new IllegalArgumentException("linear: bias must have shape [" + out + "]");
        Backend be = x.backend();
        Tensor y = Buffers.tensor(be, n, out);
        be.gemm(false, true, n, out, in, 1f, x.data(), 0, in, weight.data(), 0, in, 0f, y.data(), 0, out);
        if (bias != null)
            be.binary(BinaryOp.ADD, BroadcastSpec.of(y.shape(), bias.shape()), y.data(), bias.data(), y.data());
        return Tensor.result(y.data(), y.shape(), new Linear(x, weight, bias));
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Backend be = dy.backend();
        int n = x.dim(0), in = x.dim(1), out = weight.dim(0);
        Tensor dx = null, dw = null, db = null;
        if (needsGrad(0)) {
            dx = Buffers.tensor(be, n, in);
            be.gemm(false, false, n, in, out, 1f, dy.data(), 0, out, weight.data(), 0, in, 0f, dx.data(), 0, in);
        }
        if (needsGrad(1)) {
            dw = Buffers.tensor(be, out, in);
            be.gemm(true, false, out, in, n, 1f, dy.data(), 0, out, x.data(), 0, in, 0f, dw.data(), 0, in);
        }
        if (needsGrad(2)) db = Broadcasting.reduceTo(dy, new int[]{out});
        return new Tensor[]{dx, dw, db};
    }
}
