package org.archrepair.kernels.cuda;

import org.archrepair.kernels.AdamSpec;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;
import org.archrepair.kernels.ChannelCopySpec;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.Pool2dSpec;
import org.archrepair.kernels.SgdSpec;
import org.archrepair.kernels.UnaryOp;
import org.archrepair.kernels.cpu.ref.LossRef;

import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * The CUDA device: every {@link Backend} primitive on one GPU. Custom PTX kernels (src-cuda/, loaded
 * once per context) do the element-wise, reduction, pooling, batch-norm, loss, channel, mixed-op and
 * optimizer work and the data movement of convolutions; cuBLAS does the GEMMs (gemm, and the
 * convolutions' products); cuDNN does convolutions only when asked for
 * ({@link CudaOptions#cudnn()}). All work is queued in order on one stream; the host waits only
 * when it reads something back ({@code download}, {@code dot}) or calls {@link #synchronize()}.
 *
 * <p>Buffers come from a caching allocator and return to it on {@link DeviceBuffer#release()} or
 * when the garbage collector finds them unreachable; {@link #memoryStats()} shows whether a loop
 * reuses its memory. Every method first checks its arguments as {@code CpuBackend} does (same
 * messages), then enqueues; methods are synchronized, so several threads may share a backend.
 *
 * <p>Longer than 600 lines on purpose: one primitive after another, in Backend's order, each a check
 * and a launch.
 */
public final class CudaBackend implements Backend {

    private final CudaContext gpu;
    private final CudaConv conv;
    private final String name;
    private boolean closed;

    private CudaBackend(CudaContext gpu) {
        this.gpu = gpu;
        this.conv = new CudaConv(gpu);
        this.name = "cuda:" + gpu.options.device();
    }

    /**
     * Opens device options.device(): the driver, a context, cuBLAS (and cuDNN when asked for). Throws
     * {@link CudaUnavailableException}, saying what was looked for where, when that is not possible.
     */
    public static CudaBackend open(CudaOptions options) {
        return new CudaBackend(CudaContext.open(options));
    }

    @Override
    public String name() {
        return name;
    }

    /** One line for reports: device, driver, libraries, math mode, convolution path. */
    public synchronized String describe() {
        int v = gpu.driverVersion;
        String cudnn;
        try {
            cudnn = gpu.options.cudnn() ? gpu.cudnn().describe() : "cuDNN not used";
        } catch (CudaUnavailableException e) {
            cudnn = "cuDNN unavailable";
        }
        return name + " " + gpu.deviceName + " (sm_" + gpu.computeMajor + gpu.computeMinor + ", " + gpu.multiprocessors
                + " SMs, " + CachingAllocator.format(gpu.totalMemory) + "), driver " + v / 1000 + "." + v % 1000 / 10
                + ", cuBLAS " + gpu.cublas.version + " (" + gpu.cublas.library + "), " + cudnn + ", TF32 "
                + (gpu.options.tf32() ? "on" : "off") + ", convolutions on " + (gpu.options.cudnn() ? "cuDNN" : "PTX + cuBLAS");
    }

    public CudaOptions options() {
        return gpu.options;
    }

    /** Waits until the device has done all queued work; reports errors kernels flagged. */
    public synchronized void synchronize() {
        gpu.makeCurrent();
        gpu.synchronize();
    }

    /** Device milliseconds of the work that r enqueues on this backend (CUDA events around it). */
    public synchronized float timeMillis(Runnable r) {
        gpu.makeCurrent();
        return gpu.timeMillis(r);
    }

    /** The caching allocator's counters: in use, cached, peak, driver allocations. */
    public MemoryStats memoryStats() {
        CachingAllocator.Stats s = gpu.allocator.stats();
        return new MemoryStats(s.inUseBytes(), s.inUseBlocks(), s.cachedBytes(), s.peakReservedBytes(),
                s.driverAllocations(), s.requests(), s.cacheHits());
    }

    /** Device memory in bytes: in use by buffers, cached for reuse, peak of both, and how often the driver was asked. */
    public record MemoryStats(long inUseBytes, int inUseBuffers, long cachedBytes, long peakReservedBytes,
                              long driverAllocations, long requests, long cacheHits) {
    }

    /** Gives the allocator's cached blocks back to the driver (after the device finished with them). */
    public synchronized void emptyCache() {
        gpu.makeCurrent();
        gpu.synchronize();
        gpu.allocator.emptyCache();
    }

    // ---------------------------------------------------------------- argument checks

    private CudaBuffer own(DeviceBuffer b, String what) {
        if (closed) throw new IllegalStateException(name + " is closed");
        if (b == null) throw new IllegalArgumentException(what + " is null");
        if (!(b instanceof CudaBuffer cb) || cb.backend() != this)
            throw new IllegalArgumentException(what + " belongs to backend " + b.backend().name() + ", not " + name);
        if (cb.isReleased()) throw new IllegalArgumentException(what + " was released");
        return cb;
    }

    private CudaBuffer f32(DeviceBuffer b, String what) {
        CudaBuffer cb = own(b, what);
        if (cb.dtype() != DType.F32) throw new IllegalArgumentException(what + " must be F32, is " + cb.dtype());
        return cb;
    }

    private CudaBuffer f32(DeviceBuffer b, long length, String what) {
        return length(f32(b, what), length, what);
    }

    private CudaBuffer f32OrNull(DeviceBuffer b, long length, String what) {
        return b == null ? null : f32(b, length, what);
    }

    private CudaBuffer i32(DeviceBuffer b, String what) {
        CudaBuffer cb = own(b, what);
        if (cb.dtype() != DType.I32) throw new IllegalArgumentException(what + " must be I32, is " + cb.dtype());
        return cb;
    }

    private CudaBuffer i32(DeviceBuffer b, long length, String what) {
        return length(i32(b, what), length, what);
    }

    private static CudaBuffer length(CudaBuffer b, long length, String what) {
        if (b.length() != length)
            throw new IllegalArgumentException(what + " has " + b.length() + " elements, expected " + length);
        return b;
    }

    /** An element count as the kernels' int (they index with int). */
    private static int n(long length) {
        if (length > Integer.MAX_VALUE)
            throw new IllegalArgumentException("GPU buffers hold at most 2^31 - 1 elements, got " + length);
        return (int) length;
    }

    private static long ptr(CudaBuffer b) {
        return b == null ? 0 : b.ptr();
    }

    private LaunchGeometry elementwise(long n) {
        return LaunchGeometry.elementwise(n, gpu.multiprocessors);
    }

    private KernelArgs args() {
        gpu.makeCurrent();
        return gpu.args();
    }

    /** Keeps buffers reachable until their pointers have been enqueued (a collected buffer's block could be reused). */
    private static void keep(Object... buffers) {
        Reference.reachabilityFence(buffers);
    }

    // ---------------------------------------------------------------- memory

    @Override
    public synchronized DeviceBuffer allocateUninitialized(DType dtype, long length) {
        if (closed) throw new IllegalStateException(name + " is closed");
        if (length < 0) throw new IllegalArgumentException("buffer of " + length + " elements");
        n(length);
        gpu.makeCurrent();
        CachingAllocator.Block block = length == 0 ? null : gpu.allocator.allocate(4 * length, gpu.streamId());
        return new CudaBuffer(this, dtype, length, gpu.allocator, block);
    }

    @Override
    public synchronized DeviceBuffer allocateZeroed(DType dtype, long length) {
        CudaBuffer b = (CudaBuffer) allocateUninitialized(dtype, length);
        gpu.fill(b.ptr(), 0, length);
        return b;
    }

    @Override
    public synchronized DeviceBuffer upload(float[] host) {
        CudaBuffer b = (CudaBuffer) allocateUninitialized(DType.F32, host.length);
        gpu.upload(b.ptr(), host);
        return b;
    }

    @Override
    public synchronized DeviceBuffer upload(int[] host) {
        CudaBuffer b = (CudaBuffer) allocateUninitialized(DType.I32, host.length);
        gpu.upload(b.ptr(), host);
        b.setHostInts(host.clone());
        return b;
    }

    @Override
    public synchronized void download(DeviceBuffer src, float[] dst) {
        CudaBuffer s = f32(src, dst.length, "download source");
        gpu.makeCurrent();
        gpu.download(s.ptr(), dst);
        keep(s);
    }

    @Override
    public synchronized void download(DeviceBuffer src, int[] dst) {
        CudaBuffer s = i32(src, dst.length, "download source");
        gpu.makeCurrent();
        gpu.download(s.ptr(), dst);
        keep(s);
    }

    @Override
    public synchronized void copy(DeviceBuffer src, long srcPos, DeviceBuffer dst, long dstPos, long length) {
        CudaBuffer s = own(src, "copy source"), d = own(dst, "copy destination");
        if (s.dtype() != d.dtype()) throw new IllegalArgumentException("copy between " + s.dtype() + " and " + d.dtype());
        if (srcPos < 0 || dstPos < 0 || length < 0 || srcPos + length > s.length() || dstPos + length > d.length())
            throw new IllegalArgumentException("copy of " + length + " elements from " + srcPos + " of " + s.length()
                    + " to " + dstPos + " of " + d.length() + " is out of range");
        gpu.makeCurrent();
        gpu.copy(d.ptr(dstPos), s.ptr(srcPos), 4 * length);
        d.deviceWrites();
        keep(s, d);
    }

    @Override
    public synchronized void fill(DeviceBuffer dst, float value) {
        CudaBuffer d = f32(dst, "fill destination");
        gpu.makeCurrent();
        gpu.fill(d.ptr(), Float.floatToRawIntBits(value), d.length());
        keep(d);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public synchronized void unary(UnaryOp op, DeviceBuffer x, DeviceBuffer y) {
        CudaBuffer xb = f32(x, "x"), yb = f32(y, xb.length(), "y");
        int n = n(xb.length());
        if (n > 0) gpu.launch(Kernel.UNARY, elementwise(n), args().i32(op.ordinal()).ptr(xb.ptr()).ptr(yb.ptr()).i32(n));
        keep(xb, yb);
    }

    @Override
    public synchronized void reluBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) {
        CudaBuffer yb = f32(y, "y"), dyb = f32(dy, yb.length(), "dy"), dxb = f32(dx, yb.length(), "dx");
        int n = n(yb.length());
        if (n > 0) gpu.launch(Kernel.RELU_BACKWARD, elementwise(n), args().ptr(yb.ptr()).ptr(dyb.ptr()).ptr(dxb.ptr()).i32(n));
        keep(yb, dyb, dxb);
    }

    @Override
    public synchronized void binary(BinaryOp op, BroadcastSpec spec, DeviceBuffer a, DeviceBuffer b, DeviceBuffer y) {
        CudaBuffer ab = f32(a, BroadcastSpec.volume(spec.aShape()), "a"), bb = f32(b, BroadcastSpec.volume(spec.bShape()), "b");
        CudaBuffer yb = f32(y, BroadcastSpec.volume(spec.yShape()), "y");
        int n = n(yb.length());
        if (n > 0) gpu.launch(Kernel.BINARY, elementwise(n), args().i32(op.ordinal()).ints(BroadcastPlan.binary(spec))
                .ptr(ab.ptr()).ptr(bb.ptr()).ptr(yb.ptr()).i32(n));
        keep(ab, bb, yb);
    }

    @Override
    public synchronized void sumTo(int[] xShape, DeviceBuffer x, int[] yShape, DeviceBuffer y) {
        if (xShape.length != yShape.length)
            throw new IllegalArgumentException("sumTo: ranks differ, " + Arrays.toString(xShape) + " -> "
                    + Arrays.toString(yShape));
        for (int d = 0; d < xShape.length; d++)
            if (yShape[d] != xShape[d] && yShape[d] != 1)
                throw new IllegalArgumentException("sumTo: cannot reduce " + Arrays.toString(xShape) + " to "
                        + Arrays.toString(yShape));
        CudaBuffer xb = f32(x, BroadcastSpec.volume(xShape), "x"), yb = f32(y, BroadcastSpec.volume(yShape), "y");
        int outputs = n(yb.length());
        int[] plan = BroadcastPlan.sumTo(xShape, yShape);
        if (plan == null) {                                       // nothing to reduce: a copy
            gpu.makeCurrent();
            gpu.copy(yb.ptr(), xb.ptr(), 4L * outputs);
        } else if (outputs > 0) {
            gpu.launch(Kernel.SUM_TO, LaunchGeometry.blockPerOutput(outputs, gpu.multiprocessors),
                    args().ints(plan).ptr(xb.ptr()).ptr(yb.ptr()).i32(outputs));
        }
        keep(xb, yb);
    }

    @Override
    public synchronized void affine(DeviceBuffer x, DeviceBuffer y, float a, float b) {
        CudaBuffer xb = f32(x, "x"), yb = f32(y, xb.length(), "y");
        int n = n(xb.length());
        if (n > 0) gpu.launch(Kernel.AFFINE, elementwise(n), args().ptr(xb.ptr()).ptr(yb.ptr()).f32(a).f32(b).i32(n));
        keep(xb, yb);
    }

    @Override
    public synchronized void axpy(float a, DeviceBuffer x, DeviceBuffer y) {
        CudaBuffer xb = f32(x, "x"), yb = f32(y, xb.length(), "y");
        int n = n(xb.length());
        if (n > 0) gpu.launch(Kernel.AXPY, elementwise(n), args().f32(a).ptr(xb.ptr()).ptr(yb.ptr()).i32(n));
        keep(xb, yb);
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public synchronized double dot(DeviceBuffer a, DeviceBuffer b) {
        CudaBuffer ab = f32(a, "a"), bb = f32(b, ab.length(), "b");
        int n = n(ab.length());
        if (n == 0) return 0;
        LaunchGeometry g = LaunchGeometry.partialSums(n, gpu.multiprocessors);
        CachingAllocator.Block partials = workspace(g.gridX() + 1L);
        long result = partials.ptr() + 4L * g.gridX();
        gpu.launch(Kernel.DOT_PARTIAL, g, args().ptr(ab.ptr()).ptr(bb.ptr()).i32(n).ptr(partials.ptr()));
        sumPartials(partials.ptr(), g.gridX(), 1, 1f, result, false);
        float[] out = new float[1];
        gpu.download(result, out);
        gpu.free(partials);
        keep(ab, bb);
        return out[0];
    }

    /** out[s] (+)= sum of partials[s * count ...] / divisor for each of segments, in double, in order. */
    private void sumPartials(long partials, int count, int segments, float divisor, long out, boolean accumulate) {
        gpu.launch(Kernel.SUM_PARTIALS, LaunchGeometry.finalSums(segments),
                args().ptr(partials).i32(count).f32(divisor).ptr(out).i32(accumulate ? 1 : 0));
    }

    private CachingAllocator.Block workspace(long floats) {
        gpu.makeCurrent();
        return gpu.workspace(4 * floats);
    }

    // ---------------------------------------------------------------- statistics that stay on the device

    @Override
    public synchronized void sumOfSquares(DeviceBuffer x, DeviceBuffer acc) {
        CudaBuffer xb = f32(x, "x"), ab = f32(acc, 1, "acc");
        int n = n(xb.length());
        if (n > 0) {
            LaunchGeometry g = LaunchGeometry.partialSums(n, gpu.multiprocessors);
            CachingAllocator.Block partials = workspace(g.gridX());
            gpu.launch(Kernel.DOT_PARTIAL, g, args().ptr(xb.ptr()).ptr(xb.ptr()).i32(n).ptr(partials.ptr()));
            sumPartials(partials.ptr(), g.gridX(), 1, 1f, ab.ptr(), true);
            gpu.free(partials);
        }
        keep(xb, ab);
    }

    @Override
    public synchronized void clipByNorm(DeviceBuffer sumOfSquares, float maxNorm, DeviceBuffer x, DeviceBuffer y) {
        CudaBuffer sb = f32(sumOfSquares, 1, "sumOfSquares"), xb = f32(x, "x"), yb = f32(y, xb.length(), "y");
        int n = n(xb.length());
        if (n > 0) gpu.launch(Kernel.CLIP_BY_NORM, elementwise(n),
                args().ptr(sb.ptr()).f32(maxNorm).ptr(xb.ptr()).ptr(yb.ptr()).i32(n));
        keep(sb, xb, yb);
    }

    @Override
    public synchronized void argmaxRows(int rows, int cols, DeviceBuffer x, DeviceBuffer out, long outOffset) {
        checkRowsCols("argmaxRows", rows, cols);
        CudaBuffer xb = f32(x, (long) rows * cols, "x"), ob = i32(out, "out");
        if (outOffset < 0 || outOffset + rows > ob.length())
            throw new IllegalArgumentException("argmaxRows: out has " + ob.length() + " elements, rows " + outOffset
                    + " to " + (outOffset + rows) + " do not fit");
        if (rows > 0) gpu.launch(Kernel.ARGMAX_ROWS, elementwise(rows),
                args().ptr(xb.ptr()).i32(rows).i32(cols).ptr(ob.ptr(outOffset)));
        ob.deviceWrites();
        keep(xb, ob);
    }

    @Override
    public synchronized void countCorrect(int rows, int cols, DeviceBuffer x, DeviceBuffer labels, DeviceBuffer count) {
        checkRowsCols("countCorrect", rows, cols);
        CudaBuffer xb = f32(x, (long) rows * cols, "x"), lb = i32(labels, rows, "labels"), cb = i32(count, 1, "count");
        if (rows > 0) gpu.launch(Kernel.COUNT_CORRECT, elementwise(rows),
                args().ptr(xb.ptr()).ptr(lb.ptr()).i32(rows).i32(cols).ptr(cb.ptr()));
        cb.deviceWrites();
        keep(xb, lb, cb);
    }

    private static void checkRowsCols(String what, int rows, int cols) {
        if (rows < 0 || cols < 1)
            throw new IllegalArgumentException(what + ": needs rows >= 0 and cols >= 1, got " + rows + " x " + cols);
    }

    // ---------------------------------------------------------------- gemm

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  DeviceBuffer a, long aOffset, int lda, DeviceBuffer b, long bOffset, int ldb,
                                  float beta, DeviceBuffer c, long cOffset, int ldc) {
        CudaBuffer ab = f32(a, "A"), bb = f32(b, "B"), cb = f32(c, "C");
        checkMatrix("A", ab.length(), aOffset, transA ? k : m, transA ? m : k, lda);
        checkMatrix("B", bb.length(), bOffset, transB ? n : k, transB ? k : n, ldb);
        checkMatrix("C", cb.length(), cOffset, m, n, ldc);
        if (m == 0 || n == 0) return;
        if (alpha == 0f || k == 0) {                              // C = beta C without reading A or B
            gpu.launch(Kernel.GEMM_SCALE, elementwise((long) m * n),
                    args().ptr(cb.ptr(cOffset)).i32(m).i32(n).i32(ldc).f32(beta));
        } else {
            gpu.makeCurrent();
            gpu.cublas.gemm(transA, transB, m, n, k, alpha, ab.ptr(aOffset), lda, bb.ptr(bOffset), ldb, beta,
                    cb.ptr(cOffset), ldc);
        }
        keep(ab, bb, cb);
    }

    private static void checkMatrix(String what, long length, long offset, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0 || ld < Math.max(cols, 1) || offset < 0
                || (rows > 0 && cols > 0 && offset + (long) (rows - 1) * ld + cols > length))
            throw new IllegalArgumentException("gemm: " + what + " (" + rows + " x " + cols + ", ld " + ld
                    + ", offset " + offset + ") does not fit its buffer of " + length);
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public synchronized void conv2dForward(Conv2dSpec s, DeviceBuffer x, DeviceBuffer w, DeviceBuffer y) {
        CudaBuffer xb = f32(x, s.xLength(), "x"), wb = f32(w, s.wLength(), "w"), yb = f32(y, s.yLength(), "y");
        n(s.xLength());
        n(s.yLength());
        gpu.makeCurrent();
        conv.forward(s, xb.ptr(), wb.ptr(), yb.ptr());
        keep(xb, wb, yb);
    }

    @Override
    public synchronized void conv2dBackwardData(Conv2dSpec s, DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx) {
        CudaBuffer dyb = f32(dy, s.yLength(), "dy"), wb = f32(w, s.wLength(), "w"), dxb = f32(dx, s.xLength(), "dx");
        n(s.xLength());
        n(s.yLength());
        gpu.makeCurrent();
        conv.backwardData(s, dyb.ptr(), wb.ptr(), dxb.ptr());
        keep(dyb, wb, dxb);
    }

    @Override
    public synchronized void conv2dBackwardWeight(Conv2dSpec s, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw) {
        CudaBuffer xb = f32(x, s.xLength(), "x"), dyb = f32(dy, s.yLength(), "dy"), dwb = f32(dw, s.wLength(), "dw");
        n(s.xLength());
        n(s.yLength());
        gpu.makeCurrent();
        conv.backwardWeight(s, xb.ptr(), dyb.ptr(), dwb.ptr());
        keep(xb, dyb, dwb);
    }

    // ---------------------------------------------------------------- pooling

    /** The fields of struct PoolGeometry in src-cuda/pool.cu. */
    static int[] geometry(Pool2dSpec s) {
        return new int[]{s.h(), s.w(), s.p(), s.q(), s.kernelH(), s.kernelW(), s.strideH(), s.strideW(), s.padH(), s.padW()};
    }

    @Override
    public synchronized void maxPool2dForward(Pool2dSpec s, DeviceBuffer x, DeviceBuffer y, DeviceBuffer argmax) {
        CudaBuffer xb = f32(x, s.xLength(), "x"), yb = f32(y, s.yLength(), "y"), ab = i32(argmax, s.yLength(), "argmax");
        gpu.launch(Kernel.MAX_POOL_FORWARD, elementwise(n(s.yLength())),
                args().ints(geometry(s)).i32(s.n() * s.c()).ptr(xb.ptr()).ptr(yb.ptr()).ptr(ab.ptr()));
        ab.deviceWrites();
        keep(xb, yb, ab);
    }

    @Override
    public synchronized void maxPool2dBackward(Pool2dSpec s, DeviceBuffer dy, DeviceBuffer argmax, DeviceBuffer dx) {
        CudaBuffer dyb = f32(dy, s.yLength(), "dy"), dxb = f32(dx, s.xLength(), "dx"), ab = i32(argmax, s.yLength(), "argmax");
        gpu.launch(Kernel.MAX_POOL_BACKWARD, elementwise(n(s.xLength())),
                args().ints(geometry(s)).i32(s.n() * s.c()).ptr(dyb.ptr()).ptr(ab.ptr()).ptr(dxb.ptr()));
        keep(dyb, ab, dxb);
    }

    @Override
    public synchronized void avgPool2dForward(Pool2dSpec s, DeviceBuffer x, DeviceBuffer y) {
        CudaBuffer xb = f32(x, s.xLength(), "x"), yb = f32(y, s.yLength(), "y");
        gpu.launch(Kernel.AVG_POOL_FORWARD, elementwise(n(s.yLength())),
                args().ints(geometry(s)).i32(s.n() * s.c()).ptr(xb.ptr()).ptr(yb.ptr()));
        keep(xb, yb);
    }

    @Override
    public synchronized void avgPool2dBackward(Pool2dSpec s, DeviceBuffer dy, DeviceBuffer dx) {
        CudaBuffer dyb = f32(dy, s.yLength(), "dy"), dxb = f32(dx, s.xLength(), "dx");
        gpu.launch(Kernel.AVG_POOL_BACKWARD, elementwise(n(s.xLength())),
                args().ints(geometry(s)).i32(s.n() * s.c()).ptr(dyb.ptr()).ptr(dxb.ptr()));
        keep(dyb, dxb);
    }

    @Override
    public synchronized void globalAvgPoolForward(int n, int c, int hw, DeviceBuffer x, DeviceBuffer y) {
        CudaBuffer xb = f32(x, (long) n * c * hw, "x"), yb = f32(y, (long) n * c, "y");
        int planes = n(yb.length());
        if (planes > 0 && hw > 0) gpu.launch(Kernel.GLOBAL_AVG_POOL_FORWARD, LaunchGeometry.warpPerRow(planes, gpu.multiprocessors),
                args().ptr(xb.ptr()).i32(planes).i32(hw).ptr(yb.ptr()));
        keep(xb, yb);
    }

    @Override
    public synchronized void globalAvgPoolBackward(int n, int c, int hw, DeviceBuffer dy, DeviceBuffer dx) {
        CudaBuffer dyb = f32(dy, (long) n * c, "dy"), dxb = f32(dx, (long) n * c * hw, "dx");
        int total = n(dxb.length());
        if (total > 0) gpu.launch(Kernel.GLOBAL_AVG_POOL_BACKWARD, elementwise(total),
                args().ptr(dyb.ptr()).i32(n * c).i32(hw).ptr(dxb.ptr()));
        keep(dyb, dxb);
    }

    // ---------------------------------------------------------------- batch norm

    @Override
    public synchronized void batchNormForwardTrain(BatchNormSpec s, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta,
                                                   DeviceBuffer runningMean, DeviceBuffer runningVar, DeviceBuffer y,
                                                   DeviceBuffer saveMean, DeviceBuffer saveInvStd) {
        checkPair(gamma, beta, "gamma", "beta");
        checkPair(runningMean, runningVar, "running_mean", "running_var");
        if (runningMean != null && (long) s.n() * s.hw() < 2)
            throw new IllegalArgumentException("batchnorm: training needs more than 1 value per channel, got "
                    + s.n() + " x " + s.hw());
        CudaBuffer xb = f32(x, s.length(), "x"), g = f32OrNull(gamma, s.c(), "gamma"), b = f32OrNull(beta, s.c(), "beta");
        CudaBuffer rm = f32OrNull(runningMean, s.c(), "running_mean"), rv = f32OrNull(runningVar, s.c(), "running_var");
        CudaBuffer yb = f32(y, s.length(), "y"), sm = f32(saveMean, s.c(), "saveMean"), si = f32(saveInvStd, s.c(), "saveInvStd");
        int len = n(s.length());
        long m = (long) s.n() * s.hw();
        LaunchGeometry split = LaunchGeometry.perChannel(m, s.c(), gpu.multiprocessors);
        CachingAllocator.Block partial = workspace(3L * s.c() * split.gridX());
        gpu.launch(Kernel.BN_MOMENTS, split, args().ptr(xb.ptr()).i32(s.n()).i32(s.c()).i32(s.hw()).i32(split.gridX())
                .ptr(partial.ptr()));
        gpu.launch(Kernel.BN_STATISTICS, elementwise(s.c()), args().ptr(partial.ptr()).i32(s.c()).i32(split.gridX())
                .f32((float) m).f32(s.eps()).f32(s.momentum()).ptr(ptr(rm)).ptr(ptr(rv)).ptr(sm.ptr()).ptr(si.ptr()));
        gpu.launch(Kernel.BN_NORMALIZE, elementwise(len), args().ptr(xb.ptr()).ptr(yb.ptr()).i32(s.n()).i32(s.c())
                .i32(s.hw()).ptr(sm.ptr()).ptr(si.ptr()).ptr(ptr(g)).ptr(ptr(b)));
        gpu.free(partial);
        keep(xb, g, b, rm, rv, yb, sm, si);
    }

    @Override
    public synchronized void batchNormForwardEval(BatchNormSpec s, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta,
                                                  DeviceBuffer runningMean, DeviceBuffer runningVar, DeviceBuffer y) {
        checkPair(gamma, beta, "gamma", "beta");
        CudaBuffer xb = f32(x, s.length(), "x"), g = f32OrNull(gamma, s.c(), "gamma"), b = f32OrNull(beta, s.c(), "beta");
        CudaBuffer rm = f32(runningMean, s.c(), "running_mean"), rv = f32(runningVar, s.c(), "running_var");
        CudaBuffer yb = f32(y, s.length(), "y");
        gpu.launch(Kernel.BN_EVAL, elementwise(n(s.length())), args().ptr(xb.ptr()).ptr(yb.ptr()).i32(s.n()).i32(s.c())
                .i32(s.hw()).ptr(rm.ptr()).ptr(rv.ptr()).ptr(ptr(g)).ptr(ptr(b)).f32(s.eps()));
        keep(xb, g, b, rm, rv, yb);
    }

    @Override
    public synchronized void batchNormBackward(BatchNormSpec s, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer gamma,
                                               DeviceBuffer saveMean, DeviceBuffer saveInvStd,
                                               DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta) {
        CudaBuffer xb = f32(x, s.length(), "x"), dyb = f32(dy, s.length(), "dy"), g = f32OrNull(gamma, s.c(), "gamma");
        CudaBuffer sm = f32(saveMean, s.c(), "saveMean"), si = f32(saveInvStd, s.c(), "saveInvStd");
        CudaBuffer dxb = f32(dx, s.length(), "dx");
        CudaBuffer dg = f32OrNull(dgamma, s.c(), "dgamma"), db = f32OrNull(dbeta, s.c(), "dbeta");
        int len = n(s.length());
        long m = (long) s.n() * s.hw();
        LaunchGeometry split = LaunchGeometry.perChannel(m, s.c(), gpu.multiprocessors);
        CachingAllocator.Block partial = workspace(2L * s.c() * split.gridX()), sums = workspace(2L * s.c());
        gpu.launch(Kernel.BN_BACKWARD_SUMS, split, args().ptr(xb.ptr()).ptr(dyb.ptr()).ptr(sm.ptr()).ptr(si.ptr())
                .i32(s.n()).i32(s.c()).i32(s.hw()).i32(split.gridX()).ptr(partial.ptr()));
        gpu.launch(Kernel.BN_BACKWARD_REDUCE, elementwise(s.c()), args().ptr(partial.ptr()).i32(s.c()).i32(split.gridX())
                .ptr(sums.ptr()).ptr(ptr(dg)).ptr(ptr(db)));
        gpu.launch(Kernel.BN_BACKWARD_DATA, elementwise(len), args().ptr(xb.ptr()).ptr(dyb.ptr()).ptr(sm.ptr())
                .ptr(si.ptr()).ptr(ptr(g)).ptr(sums.ptr()).i32(s.n()).i32(s.c()).i32(s.hw()).f32((float) m).ptr(dxb.ptr()));
        gpu.free(partial);
        gpu.free(sums);
        keep(xb, dyb, g, sm, si, dxb, dg, db);
    }

    private static void checkPair(DeviceBuffer a, DeviceBuffer b, String an, String bn) {
        if ((a == null) != (b == null))
            throw new IllegalArgumentException("batchnorm: " + an + " and " + bn + " must both be given or both null");
    }

    // ---------------------------------------------------------------- softmax and loss

    @Override
    public synchronized void softmaxForward(int rows, int cols, DeviceBuffer x, DeviceBuffer y) {
        long len = (long) rows * cols;
        CudaBuffer xb = f32(x, len, "x"), yb = f32(y, len, "y");
        if (rows > 0 && cols > 0) gpu.launch(Kernel.SOFTMAX_FORWARD, LaunchGeometry.warpPerRow(rows, gpu.multiprocessors),
                args().ptr(xb.ptr()).ptr(yb.ptr()).i32(rows).i32(cols));
        keep(xb, yb);
    }

    @Override
    public synchronized void softmaxBackward(int rows, int cols, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) {
        long len = (long) rows * cols;
        CudaBuffer yb = f32(y, len, "y"), dyb = f32(dy, len, "dy"), dxb = f32(dx, len, "dx");
        if (rows > 0 && cols > 0) gpu.launch(Kernel.SOFTMAX_BACKWARD, LaunchGeometry.warpPerRow(rows, gpu.multiprocessors),
                args().ptr(yb.ptr()).ptr(dyb.ptr()).ptr(dxb.ptr()).i32(rows).i32(cols));
        keep(yb, dyb, dxb);
    }

    @Override
    public synchronized void softmaxCrossEntropyForward(int rows, int cols, DeviceBuffer logits, DeviceBuffer labels,
                                                        DeviceBuffer probs, DeviceBuffer loss) {
        long len = (long) rows * cols;
        CudaBuffer lb = f32(logits, len, "logits"), pb = f32(probs, len, "probs"), lossb = f32(loss, 1, "loss");
        CudaBuffer lab = i32(labels, rows, "labels");
        if (lab.hostInts() != null) LossRef.checkLabels(rows, cols, lab.hostInts());   // else the kernel flags them
        n(len);
        CachingAllocator.Block rowLoss = workspace(Math.max(rows, 1));
        if (rows > 0) gpu.launch(Kernel.CROSS_ENTROPY_FORWARD, LaunchGeometry.warpPerRow(rows, gpu.multiprocessors),
                args().ptr(lb.ptr()).ptr(lab.ptr()).ptr(pb.ptr()).ptr(rowLoss.ptr()).i32(rows).i32(cols).ptr(gpu.errorWord()));
        sumPartials(rowLoss.ptr(), rows, 1, rows, lossb.ptr(), false);
        gpu.free(rowLoss);
        keep(lb, pb, lossb, lab);
    }

    @Override
    public synchronized void softmaxCrossEntropyBackward(int rows, int cols, DeviceBuffer probs, DeviceBuffer labels,
                                                         DeviceBuffer dloss, DeviceBuffer dlogits) {
        long len = (long) rows * cols;
        CudaBuffer pb = f32(probs, len, "probs"), lab = i32(labels, rows, "labels"), dl = f32(dloss, 1, "dloss");
        CudaBuffer dlb = f32(dlogits, len, "dlogits");
        int n = n(len);
        if (n > 0) gpu.launch(Kernel.CROSS_ENTROPY_BACKWARD, elementwise(n),
                args().ptr(pb.ptr()).ptr(lab.ptr()).ptr(dl.ptr()).ptr(dlb.ptr()).i32(rows).i32(cols));
        keep(pb, lab, dl, dlb);
    }

    // ---------------------------------------------------------------- channels

    @Override
    public synchronized void copyChannels(ChannelCopySpec s, DeviceBuffer src, DeviceBuffer dst, boolean accumulate) {
        CudaBuffer sb = f32(src, (long) s.n() * s.srcC() * s.hw(), "src"), db = f32(dst, (long) s.n() * s.dstC() * s.hw(), "dst");
        n(db.length());
        n(sb.length());
        long total = (long) s.n() * s.count() * s.hw();
        if (total > 0) gpu.launch(Kernel.COPY_CHANNELS, elementwise(total), args().ptr(sb.ptr()).ptr(db.ptr()).i32(s.n())
                .i32(s.hw()).i32(s.srcC()).i32(s.srcStart()).i32(s.dstC()).i32(s.dstStart()).i32(s.count())
                .i32(accumulate ? 1 : 0));
        keep(sb, db);
    }

    @Override
    public synchronized void channelShuffle(int n, int c, int hw, int groups, DeviceBuffer x, DeviceBuffer y) {
        long len = (long) n * c * hw;
        CudaBuffer xb = f32(x, len, "x"), yb = f32(y, len, "y");
        if (groups <= 0 || c % groups != 0)
            throw new IllegalArgumentException("channel shuffle: " + groups + " groups do not divide " + c + " channels");
        if (len > 0) gpu.launch(Kernel.CHANNEL_SHUFFLE, elementwise(n(len)),
                args().ptr(xb.ptr()).ptr(yb.ptr()).i32(n).i32(c).i32(hw).i32(groups));
        keep(xb, yb);
    }

    // ---------------------------------------------------------------- mixed op

    /** Inputs per launch of the mixed-sum kernels (the MAX_MIXED of src-cuda/mixed.cu); more are chained. */
    static final int MIXED_PER_LAUNCH = 8;

    @Override
    public synchronized void mixedSumForward(DeviceBuffer[] xs, DeviceBuffer weights, DeviceBuffer y) {
        CudaBuffer yb = f32(y, "y"), wb = f32(weights, xs.length, "weights");
        CudaBuffer[] xb = buffers(xs, yb.length(), "xs");
        int n = n(yb.length());
        if (xs.length == 0) fill(yb, 0f);
        for (int k0 = 0; k0 < xs.length && n > 0; k0 += MIXED_PER_LAUNCH) {
            int count = Math.min(MIXED_PER_LAUNCH, xs.length - k0);
            gpu.launch(Kernel.MIXED_SUM_FORWARD, elementwise(n), args().pointers(pointers(xb, k0)).i32(count)
                    .ptr(wb.ptr(k0)).ptr(yb.ptr()).i32(n).i32(k0 > 0 ? 1 : 0));
        }
        keep(yb, wb, xb);
    }

    @Override
    public synchronized void mixedSumBackward(DeviceBuffer[] xs, DeviceBuffer weights, DeviceBuffer dy,
                                              DeviceBuffer[] dxs, DeviceBuffer dweights) {
        CudaBuffer dyb = f32(dy, "dy");
        if (dxs.length != xs.length)
            throw new IllegalArgumentException("mixed sum: " + dxs.length + " gradients for " + xs.length + " inputs");
        CudaBuffer[] dxb = new CudaBuffer[dxs.length];
        for (int k = 0; k < dxs.length; k++) dxb[k] = f32OrNull(dxs[k], dyb.length(), "dxs[" + k + "]");
        CudaBuffer[] xb = buffers(xs, dyb.length(), "xs");
        CudaBuffer wb = f32(weights, xs.length, "weights"), dwb = f32OrNull(dweights, xs.length, "dweights");
        int n = n(dyb.length());
        for (int k0 = 0; k0 < xs.length && n > 0; k0 += MIXED_PER_LAUNCH) {
            int count = Math.min(MIXED_PER_LAUNCH, xs.length - k0);
            long[] targets = pointers(dxb, k0);
            if (Arrays.stream(targets).anyMatch(p -> p != 0))
                gpu.launch(Kernel.MIXED_SUM_BACKWARD_DATA, elementwise(n), args().pointers(targets).i32(count)
                        .ptr(wb.ptr(k0)).ptr(dyb.ptr()).i32(n));
        }
        if (dwb != null && xs.length > 0) {
            if (n == 0) {
                fill(dwb, 0f);
            } else {
                LaunchGeometry g = LaunchGeometry.partialSums(n, gpu.multiprocessors);
                CachingAllocator.Block partials = workspace((long) xs.length * g.gridX());
                for (int k0 = 0; k0 < xs.length; k0 += MIXED_PER_LAUNCH) {
                    int count = Math.min(MIXED_PER_LAUNCH, xs.length - k0);
                    gpu.launch(Kernel.MIXED_SUM_BACKWARD_WEIGHTS, new LaunchGeometry(g.gridX(), count, g.block()),
                            args().pointers(pointers(xb, k0)).ptr(dyb.ptr()).i32(n).ptr(partials.ptr() + 4L * k0 * g.gridX()));
                }
                sumPartials(partials.ptr(), g.gridX(), xs.length, 1f, dwb.ptr(), false);
                gpu.free(partials);
            }
        }
        keep(dyb, dxb, xb, wb, dwb);
    }

    private CudaBuffer[] buffers(DeviceBuffer[] bs, long length, String what) {
        CudaBuffer[] out = new CudaBuffer[bs.length];
        for (int k = 0; k < bs.length; k++) out[k] = f32(bs[k], length, what + "[" + k + "]");
        return out;
    }

    /** The addresses of bs[k0 .. k0 + 8) (0 past the end and for null entries), a struct of 8 pointers. */
    private static long[] pointers(CudaBuffer[] bs, int k0) {
        long[] p = new long[MIXED_PER_LAUNCH];
        for (int i = 0; i < MIXED_PER_LAUNCH && k0 + i < bs.length; i++) p[i] = ptr(bs[k0 + i]);
        return p;
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public synchronized void sgdStep(SgdSpec s, DeviceBuffer w, DeviceBuffer g, DeviceBuffer buf) {
        CudaBuffer wb = f32(w, "w"), gb = f32(g, wb.length(), "g");
        CudaBuffer bb = s.momentum() == 0f ? null : f32(buf, wb.length(), "momentum buffer");
        int n = n(wb.length());
        if (n > 0) gpu.launch(Kernel.SGD_STEP, elementwise(n), args().ptr(wb.ptr()).ptr(gb.ptr()).ptr(ptr(bb)).i32(n)
                .f32(s.lr()).f32(s.momentum()).f32(1f - s.dampening()).f32(s.weightDecay()).i32(s.nesterov() ? 1 : 0)
                .i32(s.firstStep() ? 1 : 0));
        keep(wb, gb, bb);
    }

    @Override
    public synchronized void adamStep(AdamSpec s, DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v) {
        CudaBuffer wb = f32(w, "w"), gb = f32(g, wb.length(), "g"), mb = f32(m, wb.length(), "m"), vb = f32(v, wb.length(), "v");
        int n = n(wb.length());
        double bc1 = 1 - Math.pow(s.beta1(), s.step()), bc2 = 1 - Math.pow(s.beta2(), s.step());   // as OptimRef
        if (n > 0) gpu.launch(Kernel.ADAM_STEP, elementwise(n), args().ptr(wb.ptr()).ptr(gb.ptr()).ptr(mb.ptr())
                .ptr(vb.ptr()).i32(n).f32(s.beta1()).f32(s.beta2()).f32(s.eps()).f32(s.weightDecay())
                .f32((float) (s.lr() / bc1)).f32((float) Math.sqrt(bc2)));
        keep(wb, gb, mb, vb);
    }

    /** Waits for the device, then frees every buffer, the context's stream, modules and handles. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        gpu.close();
    }

    @Override
    public String toString() {
        return "CudaBackend(" + name + ", " + gpu.deviceName + ")";
    }
}
