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
}
