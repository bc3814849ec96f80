package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;

import java.util.Arrays;

/** Shared plumbing of the broadcasting functions: elementwise kernels and reduction of gradients. */
final class Broadcasting {
    private Broadcasting() {
    }

    /** y = a (op) b with broadcasting, into a fresh buffer. */
    static DeviceBuffer apply(BinaryOp op, BroadcastSpec spec, Tensor a, Tensor b) {
        Backend be = a.backend();
        DeviceBuffer y = be.allocateUninitialized(DType.F32, BroadcastSpec.volume(spec.yShape()));
        be.binary(op, spec, a.data(), b.data(), y);
        return y;
    }

    /** Elementwise a (op) b for gradient math, where shapes are given explicitly. */
    static Tensor apply(BinaryOp op, Tensor a, Tensor b) {
        BroadcastSpec spec = BroadcastSpec.of(a.shape(), b.shape());
        return Tensor.wrap(apply(op, spec, a, b), spec.yShape());
    }

    /** The gradient dy (of the broadcast output) summed back to an input's shape. */
    static Tensor reduceTo(Tensor dy, int[] inputShape) {
        int[] yShape = dy.shape();
        if (Arrays.equals(yShape, inputShape)) return dy;
        int[] padded = BroadcastSpec.pad(inputShape, yShape.length);
        DeviceBuffer out = dy.backend().allocateUninitialized(DType.F32, BroadcastSpec.volume(inputShape));
        dy.backend().sumTo(yShape, dy.data(), padded, out);
        return Tensor.wrap(out, inputShape);
    }

    static Tensor scaled(Tensor t, float a) {
        DeviceBuffer out = t.backend().allocateUninitialized(DType.F32, t.numel());
        t.backend().affine(t.data(), out, a, 0f);
        return Tensor.wrap(out, t.shape());
    }

    static void sameBackend(Tensor a, Tensor b) {
        if (a.backend() != b.backend())
            throw new IllegalArgumentException("tensors on different backends: " + a.backend().name() + " and "
                    + b.backend().name());
    }
}
