package org.archrepair.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One device as the backend uses it: the driver, the device's primary context (made current on
 * every thread that calls in), one non-blocking stream on which all work runs in order, the PTX
 * modules, cuBLAS, cuDNN on first use, the caching allocator, pinned staging memory and a device
 * word where kernels flag bad input (bit 0: a class label out of range). The host waits for the
 * device only in downloads, {@link #synchronize()} and {@link #timeMillis}, and each such wait also
 * reads the error word. Not thread-safe: {@link CudaBackend} serializes its calls.
 */
final class CudaContext implements AutoCloseable {
    static final int ERROR_LABEL = 1;
    /** The context this code last made current on each thread: by instance, so a reopened backend sets it again. */
    private static final ThreadLocal<CudaContext> CURRENT = new ThreadLocal<>();

    final Driver driver;
    final CudaOptions options;
    final int device, multiprocessors, computeMajor, computeMinor, driverVersion;
    final String deviceName;
    final long totalMemory;
    final MemorySegment context, stream;
    final CachingAllocator allocator;
    final PtxModules modules;
    final Cublas cublas;
    private final Arena arena = Arena.ofShared();
    private final KernelArgs args;
    private final HostStaging staging;
    private final CachingAllocator.Block errors;
    private final MemorySegment start, end;
    private Cudnn cudnn;
    private RuntimeException cudnnFailure;

    private CudaContext(Driver driver, CudaOptions options) {
        this.driver = driver;
        this.options = options;
        initialize(driver);
        driverVersion = driver.driverVersion();
        int count = driver.deviceCount();
        if (options.device() >= count)
            throw new CudaUnavailableException("there is no CUDA device cuda:" + options.device() + ": the driver ("
                    + driver.library + ") sees " + count + " device" + (count == 1 ? "" : "s"));
        device = driver.device(options.device());
        deviceName = driver.deviceName(device);
        multiprocessors = driver.attribute(Driver.MULTIPROCESSOR_COUNT, device);
        computeMajor = driver.attribute(Driver.COMPUTE_CAPABILITY_MAJOR, device);
        computeMinor = driver.attribute(Driver.COMPUTE_CAPABILITY_MINOR, device);
        if (computeMajor < 8)
            throw new CudaUnavailableException(deviceName + " has compute capability " + computeMajor + "." + computeMinor
                    + "; the shipped PTX targets sm_80 (Ampere) and newer");
        totalMemory = driver.totalMemory(device);
        context = driver.retainPrimaryContext(device);
        makeCurrent();
        stream = driver.streamCreate(Driver.CU_STREAM_NON_BLOCKING);
        modules = new PtxModules(driver);
        allocator = new CachingAllocator("cuda:" + options.device(), memory(), this::reclaim);
        cublas = Cublas.open(options.libraryDirs(), driverVersion, stream, options.tf32());
        args = new KernelArgs(arena);
        staging = new HostStaging(driver, stream);
        start = driver.eventCreate(Driver.CU_EVENT_DEFAULT);
        end = driver.eventCreate(Driver.CU_EVENT_DEFAULT);
        errors = allocator.allocate(4, streamId());
        driver.memsetD32Async(errors.ptr(), 0, 1, stream);
        if (options.cudnn()) cudnn();
    }

    static CudaContext open(CudaOptions options) {
        return new CudaContext(Driver.load(options.libraryDirs()), options);
    }

    /** cuInit, with a failure (no device, a driver too old for the library) as CudaUnavailableException. */
    private static void initialize(Driver driver) {
        try {
            driver.init();
        } catch (CudaException e) {
            throw new CudaUnavailableException("CUDA is not available: " + e.getMessage() + " (driver library "
                    + driver.library + ")", e);
        }
    }

    private CachingAllocator.DeviceMemory memory() {
        return new CachingAllocator.DeviceMemory() {
            @Override
            public long allocate(long bytes) {
                return driver.tryMemAlloc(bytes);
            }

            @Override
            public void free(long ptr) {
                driver.memFree(ptr);
            }

            @Override
            public String describe() {
                long[] info = driver.memInfo();
                return CachingAllocator.format(info[0]) + " free of " + CachingAllocator.format(info[1]);
            }
        };
    }

    /**
     * Before the allocator empties its cache: let the garbage collector find unreachable buffers and
     * its cleaner return them (until the cache stops growing, at most half a second), then wait for
     * the device, which may still be using cached blocks.
     */
    private void reclaim() {
        System.gc();
        long last = -1;
        for (int i = 0; i < 50; i++) {
            long cached = allocator.stats().cachedBytes();
            if (cached == last) break;
            last = cached;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        makeCurrent();
        driver.synchronizeContext();
    }

    /** cuDNN, opened on first use; throws CudaUnavailableException (the same one each time) when it does not load. */
    Cudnn cudnn() {
        if (cudnn != null) return cudnn;
        if (cudnnFailure != null) throw cudnnFailure;
        try {
            return cudnn = Cudnn.open(options.libraryDirs(), stream, options.tf32());
        } catch (RuntimeException e) {
            cudnnFailure = e;
            throw e;
        }
    }

    long streamId() {
        return stream.address();
    }

    /** Makes the primary context current on the calling thread (once per thread). */
    void makeCurrent() {
        if (CURRENT.get() != this) {
            driver.setCurrent(context);
            CURRENT.set(this);
        }
    }

    /** The reusable argument block, emptied. */
    KernelArgs args() {
        return args.reset();
    }

    void launch(Kernel k, LaunchGeometry g, KernelArgs a) {
        driver.launch(k.entry, modules.function(k), g.gridX(), g.gridY(), 1, g.block(), 1, 1, 0, stream, a.params());
    }

    /** Device memory for the work being enqueued; give it back with {@link #free} as soon as that work is enqueued. */
    CachingAllocator.Block workspace(long bytes) {
        return allocator.allocate(bytes, streamId());
    }

    void free(CachingAllocator.Block b) {
        allocator.free(b);
    }

    // ---------------------------------------------------------------- copies

    void upload(long dst, float[] src) {
        if (src.length == 0) return;
        long bytes = 4L * src.length;
        MemorySegment s = staging.acquire(bytes);
        MemorySegment.copy(src, 0, s, JAVA_FLOAT, 0, src.length);
        driver.copyHostToDeviceAsync(dst, s, bytes, stream);
        staging.enqueued();
    }

    void upload(long dst, int[] src) {
        if (src.length == 0) return;
        long bytes = 4L * src.length;
        MemorySegment s = staging.acquire(bytes);
        MemorySegment.copy(src, 0, s, JAVA_INT, 0, src.length);
        driver.copyHostToDeviceAsync(dst, s, bytes, stream);
        staging.enqueued();
    }

    void download(long src, float[] dst) {
        MemorySegment s = fetch(src, 4L * dst.length);
        MemorySegment.copy(s, JAVA_FLOAT, 0, dst, 0, dst.length);
    }

    void download(long src, int[] dst) {
        MemorySegment s = fetch(src, 4L * dst.length);
        MemorySegment.copy(s, JAVA_INT, 0, dst, 0, dst.length);
    }

    /** Copies bytes from src and the error word into staging memory and waits for the stream. */
    private MemorySegment fetch(long src, long bytes) {
        MemorySegment s = staging.acquire(bytes + 4);
        if (bytes > 0) driver.copyDeviceToHostAsync(s, src, bytes, stream);
        driver.copyDeviceToHostAsync(s.asSlice(bytes), errors.ptr(), 4, stream);
        driver.streamSynchronize(stream);
        checkErrors(s.get(JAVA_INT, bytes));
        return s;
    }

    void copy(long dst, long src, long bytes) {
        if (bytes > 0) driver.copyDeviceToDeviceAsync(dst, src, bytes, stream);
    }

    /** count 32-bit words at dst become bits (a float's raw bits, or an int). */
    void fill(long dst, int bits, long count) {
        if (count > 0) driver.memsetD32Async(dst, bits, count, stream);
    }

    /** Waits for all work on the stream and reports errors the kernels flagged. */
    void synchronize() {
        fetch(0, 0);
    }

    private void checkErrors(int word) {
        if (word == 0) return;
        driver.memsetD32Async(errors.ptr(), 0, 1, stream);
        if ((word & ERROR_LABEL) != 0)
            throw new IllegalArgumentException("cross-entropy: a class label outside [0, classes) reached the GPU in a "
                    + "labels buffer computed on the device (the loss of its row is NaN); labels uploaded from the host "
                    + "are checked before launch");
        throw new IllegalStateException("a kernel flagged error word " + word + " on " + deviceName);
    }

    /** The device address of the error word that kernels flag. */
    long errorWord() {
        return errors.ptr();
    }

    /** Milliseconds the device spent on the work r enqueues (events around it; waits for the stream). */
    float timeMillis(Runnable r) {
        driver.eventRecord(start, stream);
        r.run();
        driver.eventRecord(end, stream);
        driver.eventSynchronize(end);
        synchronize();
        return driver.eventElapsedMs(start, end);
    }

    @Override
    public void close() {
        makeCurrent();
        driver.streamSynchronize(stream);
        RuntimeException failure = null;
        for (AutoCloseable c : List.<AutoCloseable>of(modules, cublas, staging)) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) failure = new IllegalStateException("closing the CUDA backend", e);
            }
        }
        if (cudnn != null) cudnn.close();
        driver.eventDestroy(start);
        driver.eventDestroy(end);
        allocator.close();
        driver.streamDestroy(stream);
        arena.close();
        driver.releasePrimaryContext(device);
        CURRENT.remove();
        if (failure != null) throw failure;
    }
}
