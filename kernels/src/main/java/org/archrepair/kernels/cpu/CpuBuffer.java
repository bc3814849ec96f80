package org.archrepair.kernels.cpu;

import org.archrepair.kernels.Backend;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;

/** A device buffer in the Java heap: a float[] or an int[] (one of the two is null). */
public final class CpuBuffer implements DeviceBuffer {
    final Backend owner;
    /** Data of an F32 buffer, else null. */
    public final float[] f;
    /** Data of an I32 buffer, else null. */
    public final int[] i;

    CpuBuffer(Backend owner, float[] f, int[] i) {
        this.owner = owner;
        this.f = f;
        this.i = i;
    }

    @Override
    public long length() {
        return f != null ? f.length : i.length;
    }

    @Override
    public DType dtype() {
        return f != null ? DType.F32 : DType.I32;
    }

    @Override
    public Backend backend() {
        return owner;
    }

    @Override
    public String toString() {
        return "CpuBuffer(" + dtype() + ", " + length() + ")";
    }
}
