package org.archrepair.kernels.cuda;

import org.archrepair.kernels.Backend;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;

import java.lang.ref.Cleaner;

/**
 * A buffer in device memory: a block of the backend's caching allocator (none for length 0). Its
 * memory goes back to the allocator on {@link #release()}, or, as a safety net, when the garbage
 * collector finds the buffer unreachable (a {@link Cleaner} action that holds the block, never the
 * buffer). Using a released buffer is an error.
 *
 * <p>An I32 buffer made by {@code upload(int[])} keeps a host copy of small contents until a kernel
 * writes into it, so that class labels are checked on the host exactly as the CPU backend checks
 * them, without reading the device.
 */
public final class CudaBuffer implements DeviceBuffer {
    private static final Cleaner CLEANER = Cleaner.create();
    /** Uploads of at most this many ints keep their host copy. */
    static final int HOST_COPY_LIMIT = 1 << 16;

    private final CudaBackend owner;
    private final DType dtype;
    private final long length;
    private final CachingAllocator.Block block;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean released;
    private int[] hostInts;

    CudaBuffer(CudaBackend owner, DType dtype, long length, CachingAllocator allocator, CachingAllocator.Block block) {
        this.owner = owner;
        this.dtype = dtype;
        this.length = length;
        this.block = block;
        this.cleanable = block == null ? null : CLEANER.register(this, new GiveBack(allocator, block));
    }

    /** The cleaner's action: it must not refer to the buffer, or the buffer would never become unreachable. */
    private record GiveBack(CachingAllocator allocator, CachingAllocator.Block block) implements Runnable {
        @Override
        public void run() {
            allocator.free(block);
        }
    }

    /** The device address of element 0 (0 for an empty buffer). */
    long ptr() {
        if (released) throw new IllegalStateException("a " + dtype + " buffer of " + length + " elements on "
                + owner.name() + " was used after release()");
        return block == null ? 0 : block.ptr();
    }

    /** The device address of element i. */
    long ptr(long i) {
        return ptr() + 4 * i;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public Backend backend() {
        return owner;
    }

    @Override
    public void release() {
        if (released) return;
        released = true;
        hostInts = null;
        if (cleanable != null) cleanable.clean();
    }

    boolean isReleased() {
        return released;
    }

    /** The host copy of an uploaded I32 buffer whose device contents have not changed since, else null. */
    int[] hostInts() {
        return hostInts;
    }

    void setHostInts(int[] values) {
        hostInts = values.length <= HOST_COPY_LIMIT ? values : null;
    }

    /** A kernel or copy writes into this buffer: its host copy no longer holds. */
    void deviceWrites() {
        hostInts = null;
    }

    @Override
    public String toString() {
        return "CudaBuffer(" + dtype + ", " + length + (released ? ", released" : "") + ")";
    }
}
