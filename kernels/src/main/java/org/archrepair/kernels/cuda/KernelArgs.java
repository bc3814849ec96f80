package org.archrepair.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The arguments of one kernel launch as cuLaunchKernel's {@code kernelParams} wants them: an array of
 * pointers, the i-th pointing at the bytes of the i-th parameter. Values go into 8-byte-aligned
 * slots of one native block; structs passed by value are written field by field in their C layout
 * (here only ints, or only pointers, so no padding). One instance is reused launch after launch
 * ({@link #reset}): cuLaunchKernel copies the values when it is called. Not thread-safe.
 */
final class KernelArgs {
    static final int MAX_ARGS = 32;
    static final long VALUE_BYTES = 2048;

    private final MemorySegment values, pointers;
    private int count;
    private long offset;

    KernelArgs(Arena arena) {
        values = arena.allocate(VALUE_BYTES, 8);
        pointers = arena.allocate(ADDRESS, MAX_ARGS);
    }

    KernelArgs reset() {
        count = 0;
        offset = 0;
        return this;
    }

    /** A slot of bytes for the next parameter, pointed to by the next kernelParams entry. */
    private long slot(long bytes) {
        if (count == MAX_ARGS) throw new IllegalStateException("more than " + MAX_ARGS + " kernel arguments");
        long at = offset;
        offset = (offset + bytes + 7) & ~7L;
        if (offset > VALUE_BYTES) throw new IllegalStateException("kernel arguments exceed " + VALUE_BYTES + " bytes");
        pointers.setAtIndex(ADDRESS, count++, values.asSlice(at, bytes));
        return at;
    }

    /** A device pointer (T* or CUdeviceptr); 0 is the null pointer. */
    KernelArgs ptr(long devicePointer) {
        values.set(JAVA_LONG, slot(8), devicePointer);
        return this;
    }

    KernelArgs i32(int v) {
        values.set(JAVA_INT, slot(4), v);
        return this;
    }

    KernelArgs f32(float v) {
        values.set(JAVA_FLOAT, slot(4), v);
        return this;
    }

    /** A struct of ints passed by value, fields in declaration order. */
    KernelArgs ints(int... fields) {
        long at = slot(4L * fields.length);
        for (int i = 0; i < fields.length; i++) values.set(JAVA_INT, at + 4L * i, fields[i]);
        return this;
    }

    /** A struct of pointers passed by value (e.g. {@code struct { const float* p[8]; }}). */
    KernelArgs pointers(long... fields) {
        long at = slot(8L * fields.length);
        for (int i = 0; i < fields.length; i++) values.set(JAVA_LONG, at + 8L * i, fields[i]);
        return this;
    }

    int count() {
        return count;
    }

    /** The kernelParams array. */
    MemorySegment params() {
        return pointers;
    }

    /** The bytes of parameter i (for tests). */
    MemorySegment param(int i, long bytes) {
        return pointers.getAtIndex(ADDRESS, i).reinterpret(bytes);
    }
}
