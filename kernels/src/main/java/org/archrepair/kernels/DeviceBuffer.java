package org.archrepair.kernels;

/**
 * A flat array of {@link #length()} elements of one {@link DType}, living on one backend's device.
 * Buffers carry no shape: shapes live in the engine's tensors and in the spec records passed to
 * each primitive. A buffer is only ever handed to the backend that allocated it.
 */
public interface DeviceBuffer {
    /** Number of elements (not bytes). */
    long length();

    DType dtype();

    Backend backend();

    /**
     * Gives the memory back to the backend now (a GPU returns it to its caching allocator) instead of
     * when the garbage collector finds the buffer unreachable. The buffer must not be used afterwards;
     * releasing twice is harmless. The CPU backend's arrays are left to the garbage collector.
     */
    default void release() {
    }
}
