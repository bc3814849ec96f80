package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;
import org.archrepair.kernels.DeviceBuffer;

import java.util.Arrays;

/**
 * y = x summed over the dimensions where the target shape has 1 (same rank, keepdim);
 * dx = dy broadcast back to x's shape.
 */
public final class SumTo extends Function {
    private final int[] xShape;

    private SumTo(Tensor x) {
        super(x);
        this.xShape = x.shape();
    }

    public static Tensor apply(Tensor x, int... shape) {
        if (shape.length != x.rank())
            throw new IllegalArgumentException("sumTo " + Arrays.toString(shape) + " from " + Arrays.toString(x.shape())
                    + ": ranks differ");
        DeviceBuffer y = Buffers.floats(x.backend(), Tensor.volume(shape));
        x.backend().sumTo(x.shape(), x.data(), shape, y);
        return Tensor.result(y, shape, new SumTo(x));
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        // Broadcast by adding to zeros of x's shape: the sum is rarely on a hot path.
        Tensor zeros = Buffers.zeros(dy.backend(), xShape);
        BroadcastSpec spec = BroadcastSpec.of(xShape, dy.shape());
        return new Tensor[]{Tensor.wrap(Broadcasting.apply(BinaryOp.ADD, spec, zeros, dy), xShape)};
    }
}
