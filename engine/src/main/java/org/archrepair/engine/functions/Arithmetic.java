package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;

/**
 * y = a (op) b with NumPy broadcasting; sum_b(.) sums a gradient over the dimensions its input was
 * broadcast along.
 * <pre>
 * ADD: da = sum_b(dy),       db = sum_b(dy)
 * SUB: da = sum_b(dy),       db = -sum_b(dy)
 * MUL: da = sum_b(dy * b),   db = sum_b(dy * a)
 * DIV: da = sum_b(dy / b),   db = -sum_b(dy * y / b)
 * </pre>
 */
public final class Arithmetic extends Function {
    private final BinaryOp op;
    private final Tensor a, b;
    private Tensor y;

    private Arithmetic(BinaryOp op, Tensor a, Tensor b) {
        super(a, b);
        this.op = op;
        this.a = a;
        this.b = b;
    }

    public static Tensor apply(BinaryOp op, Tensor a, Tensor b) {
        Broadcasting.sameBackend(a, b);
        BroadcastSpec spec = BroadcastSpec.of(a.shape(), b.shape());
        Arithmetic fn = new Arithmetic(op, a, b);
        Tensor out = Tensor.result(Broadcasting.apply(op, spec, a, b), spec.yShape(), fn);
        if (op == BinaryOp.DIV) fn.y = out.detach();
        return out;
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Tensor da = null, db = null;
        if (needsGrad(0)) {
            Tensor g = switch (op) {
                case ADD, SUB -> dy;
                case MUL -> Broadcasting.apply(BinaryOp.MUL, dy, b);
                case DIV -> Broadcasting.apply(BinaryOp.DIV, dy, b);
            };
            da = Broadcasting.reduceTo(g, a.shape());
        }
        if (needsGrad(1)) {
            db = switch (op) {
                case ADD -> Broadcasting.reduceTo(dy, b.shape());
                case SUB -> Broadcasting.scaled(Broadcasting.reduceTo(dy, b.shape()), -1f);
                case MUL -> Broadcasting.reduceTo(Broadcasting.apply(BinaryOp.MUL, dy, a), b.shape());
                case DIV -> Broadcasting.scaled(Broadcasting.reduceTo(
                        Broadcasting.apply(BinaryOp.DIV, Broadcasting.apply(BinaryOp.MUL, dy, y), b), b.shape()), -1f);
            };
        }
        return new Tensor[]{da, db};
    }

    @Override
    public String name() {
        return "Arithmetic(" + op + ")";
    }
}
