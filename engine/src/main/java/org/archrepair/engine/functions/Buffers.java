package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;

import java.util.Arrays;

/** Small helpers shared by the functions: fresh buffers and shape checks. */
final class Buffers {
    private Buffers() {
    }

    static DeviceBuffer floats(Backend backend, long length) {
        return backend.allocate(DType.F32, length);
    }

    static Tensor tensor(Backend backend, int... shape) {
        return Tensor.wrap(floats(backend, Tensor.volume(shape)), shape);
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
