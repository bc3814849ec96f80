package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;

import java.util.Arrays;

/**
 * Small helpers shared by the functions: fresh buffers and shape checks. {@link #floats} and
 * {@link #tensor} are uninitialized (on a GPU they hold whatever the reused memory held): every
 * primitive overwrites its outputs entirely, so a function that writes only part of its output
 * asks for {@link #zeros} instead.
 */
final class Buffers {
    private Buffers() {
    }

    /** A fresh, uninitialized float buffer. */
    static DeviceBuffer floats(Backend backend, long length) {
        return backend.allocateUninitialized(DType.F32, length);
    }

    /** A fresh, uninitialized float tensor. */
    static Tensor tensor(Backend backend, int... shape) {
        return Tensor.wrap(floats(backend, Tensor.volume(shape)), shape);
    }

    /** A fresh zero-filled float tensor, for outputs written only in part. */
    static Tensor zeros(Backend backend, int... shape) {
        return Tensor.wrap(backend.allocateZeroed(DType.F32, Tensor.volume(shape)), shape);
    }

    static void requireRank(Tensor t, int rank, String op, String what) {
        if (t.rank() != rank)
            throw new IllegalArgumentException(op + ": " + what + " must have rank " + rank + ", has shape "
                    + Arrays.toString(t.shape()));
    }

    static void requireFloat(Tensor t, String op, String what) {
        if (t.dtype() != DType.F32) throw new IllegalArgumentException(op + ": " + what + " must be float32");
    }
}
