package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;

/** y = a b with a: (m, k), b: (k, n); da = dy b^T, db = a^T dy. */
public final class MatMul extends Function {
    private final Tensor a, b;

    private MatMul(Tensor a, Tensor b) {
        super(a, b);
        this.a = a;
        this.b = b;
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Buffers.requireRank(a, 2, "matmul", "left operand");
        Buffers.requireRank(b, 2, "matmul", "right operand");
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        if (b.dim(0) != k)
            throw new IllegalArgumentException("matmul: (" + m + " x " + k + ") times (" + b.dim(0) + " x " + n + ")");
        Backend be = a.backend();
        Tensor y = Buffers.tensor(be, m, n);
        be.gemm(false, false, m, n, k, 1f, a.data(), 0, k, b.data(), 0, n, 0f, y.data(), 0, n);
        return Tensor.result(y.data(), y.shape(), new MatMul(a, b));
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Backend be = dy.backend();
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        Tensor da = null, db = null;
        if (needsGrad(0)) {
            da = Buffers.tensor(be, m, k);
            be.gemm(false, true, m, k, n, 1f, dy.data(), 0, n, b.data(), 0, n, 0f, da.data(), 0, k);
        }
        if (needsGrad(1)) {
            db = Buffers.tensor(be, k, n);
            be.gemm(true, false, k, n, m, 1f, a.data(), 0, k, dy.data(), 0, n, 0f, db.data(), 0, n);
        }
        return new Tensor[]{da, db};
    }
}
