package org.archrepair.kernels.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A caching device allocator in the manner of PyTorch's: a freed block goes onto the free list of
 * its size class and its stream, and the next request of that class on that stream takes it back
 * without a driver call. A training step whose shapes repeat therefore allocates device memory only
 * in its first iteration. Reusing a block on the stream it was freed on needs no synchronization:
 * the stream runs the new user's work after the old user's.
 *
 * <p>Size classes: requests up to 1 MiB round up to a power of two (at least 512 bytes); larger ones
 * to the next multiple of an eighth of the power of two below them (at most 12.5% waste). Blocks are
 * never split or merged.
 *
 * <p>Out of memory: the {@code reclaim} hook runs first, outside the lock (the backend lets the
 * garbage collector return unreachable buffers and waits for the device), then the cache is tried
 * again; if that fails every cached block goes back to the driver and the request is retried once.
 * A second failure is a {@link CudaOutOfMemoryException} naming the request and what was in use and
 * cached. Thread-safe: buffers come back from the garbage collector's cleaner thread.
 */
final class CachingAllocator {

    /** Raw device memory: the CUDA driver, or a fake in tests. */
    interface DeviceMemory {
        /** A block of bytes, or 0 when the device has no room (other failures throw). */
        long allocate(long bytes);

        void free(long ptr);

        /** The device's free and total memory in words, for error messages. */
        String describe();
    }

    /** One allocation: device address, size class in bytes, and the stream it is ordered on. */
    record Block(long ptr, long bytes, long stream) {
    }

    /** Counters since creation. reserved = in use + cached: what the process holds on the device. */
    record Stats(long inUseBytes, int inUseBlocks, long cachedBytes, int cachedBlocks, long peakReservedBytes,
                 long driverAllocations, long driverFrees, long requests, long cacheHits) {
        long reservedBytes() {
            return inUseBytes + cachedBytes;
        }
    }

    private final String device;
    private final DeviceMemory memory;
    private final Runnable reclaim;
    /** stream -> size class -> free blocks */
    private final Map<Long, Map<Long, ArrayDeque<Block>>> free = new HashMap<>();
    private final Map<Long, Block> live = new HashMap<>();
    private long inUseBytes, cachedBytes, peakReserved, driverAllocations, driverFrees, requests, hits;
    private int cachedBlocks;
    private boolean closed;

    CachingAllocator(String device, DeviceMemory memory, Runnable reclaim) {
        this.device = device;
        this.memory = memory;
        this.reclaim = reclaim;
    }

    static long sizeClass(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("allocation of " + bytes + " bytes");
        if (bytes <= 512) return 512;
        if (bytes <= 1L << 20) return Long.highestOneBit(bytes - 1) << 1;
        long step = Long.highestOneBit(bytes - 1) >> 3;
        return (bytes + step - 1) / step * step;
    }

    /** A block of at least bytes, ordered on stream. */
    Block allocate(long bytes, long stream) {
        long size = sizeClass(bytes);
        synchronized (this) {
            requests++;
        }
        Block b = take(bytes, size, stream, false);
        if (b != null) return b;
        reclaim.run();
        return take(bytes, size, stream, true);
    }

    private synchronized Block take(long bytes, long size, long stream, boolean lastTry) {
        if (closed) throw new IllegalStateException("the CUDA backend on " + device + " is closed");
        ArrayDeque<Block> list = free.getOrDefault(stream, Map.of()).get(size);
        if (list != null && !list.isEmpty()) {
            Block b = list.pop();
            cachedBytes -= size;
            cachedBlocks--;
            hits++;
            return use(b);
        }
        long ptr = memory.allocate(size);
        if (ptr == 0 && lastTry) {
            long cachedBefore = cachedBytes;
            int blocksBefore = cachedBlocks;
            emptyCache();
            ptr = memory.allocate(size);
            if (ptr == 0) throw outOfMemory(bytes, size, cachedBefore, blocksBefore);
        }
        if (ptr == 0) return null;
        driverAllocations++;
        Block b = use(new Block(ptr, size, stream));
        peakReserved = Math.max(peakReserved, inUseBytes + cachedBytes);
        return b;
    }

    private Block use(Block b) {
        live.put(b.ptr(), b);
        inUseBytes += b.bytes();
        return b;
    }

    /** Returns a block to the cache of its stream (no driver call). Blocks of a closed allocator are ignored. */
    synchronized void free(Block b) {
        if (closed) return;
        if (live.remove(b.ptr()) == null) throw new IllegalStateException("block " + b + " freed twice or never allocated");
        inUseBytes -= b.bytes();
        free.computeIfAbsent(b.stream(), s -> new HashMap<>()).computeIfAbsent(b.bytes(), s -> new ArrayDeque<>()).push(b);
        cachedBytes += b.bytes();
        cachedBlocks++;
    }

    /** Gives every cached block back to the driver. The caller makes sure the device no longer uses them. */
    synchronized void emptyCache() {
        for (Map<Long, ArrayDeque<Block>> byClass : free.values())
            for (ArrayDeque<Block> list : byClass.values())
                for (Block b : list) {
                    memory.free(b.ptr());
                    driverFrees++;
                }
        free.clear();
        cachedBytes = 0;
        cachedBlocks = 0;
    }

    synchronized Stats stats() {
        return new Stats(inUseBytes, live.size(), cachedBytes, cachedBlocks, peakReserved, driverAllocations,
                driverFrees, requests, hits);
    }

    /** Frees everything, live blocks included; later frees are ignored. */
    synchronized void close() {
        if (closed) return;
        emptyCache();
        for (Block b : live.values()) {
            memory.free(b.ptr());
            driverFrees++;
        }
        live.clear();
        inUseBytes = 0;
        closed = true;
    }

    private CudaOutOfMemoryException outOfMemory(long bytes, long size, long cachedBefore, int blocksBefore) {
        return new CudaOutOfMemoryException("CUDA out of memory on " + device + ": cannot allocate " + format(bytes)
                + " (a " + format(size) + " block); " + format(inUseBytes) + " is in use in " + live.size()
                + " buffers, and the " + format(cachedBefore) + " cached in " + blocksBefore
                + " free blocks was given back to the driver before one retry; device: " + memory.describe()
                + ". Release buffers sooner, or use a smaller batch.");
    }

    static String format(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1L << 20) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        if (bytes < 1L << 30) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
}
