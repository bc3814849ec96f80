package org.archrepair.kernels.cuda;

import org.archrepair.kernels.Conv2dSpec;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuDNN 9's legacy convolution API: forward, backward-data and backward-filter of a float NCHW
 * cross-correlation with stride, padding, dilation and groups. Optional: an alternative to the
 * custom kernels for convolutions ({@code -Darchrepair.cuda.conv=cudnn}) and, in the GPU tests, an
 * oracle for them. Symbols come from {@code libcudnn.so.9}, then {@code libcudnn_cnn.so.9} and
 * {@code libcudnn_ops.so.9}. Each shape gets its descriptors and cuDNN's heuristic choice of
 * algorithm (the first of the {@code _v7} list that succeeds within a 1 GiB workspace) once.
 * The math type is {@code CUDNN_FMA_MATH} (exact FP32) unless TF32 was asked for. Not thread-safe.
 */
final class Cudnn implements AutoCloseable {
    private static final int NCHW = 0, FLOAT = 0, CROSS_CORRELATION = 1, DEFAULT_MATH = 0, FMA_MATH = 3;
    private static final int PERF_BYTES = 48, PERF_ALGOS = 8;
    static final long WORKSPACE_LIMIT = 1L << 30;

    final NativeLibrary library;
    final long version;
    private final boolean tf32;
    private final MemorySegment handle;
    private final MethodHandle destroy, createTensor, setTensor, destroyTensor, createFilter, setFilter, destroyFilter,
            createConv, setConv, setGroups, setMath, destroyConv, fwdAlgo, bwdDataAlgo, bwdFilterAlgo, fwdWs,
            bwdDataWs, bwdFilterWs, forward, backwardData, backwardFilter, errorString;
    private final Map<Conv2dSpec, Plan> plans = new HashMap<>();
    /** alpha = 1, beta = 0 on the host. */
    private final MemorySegment one, zero;

    /** The descriptors and chosen algorithms of one convolution shape. */
    private record Plan(MemorySegment x, MemorySegment w, MemorySegment conv, MemorySegment y, int fwd, long fwdBytes,
                        int bwdData, long bwdDataBytes, int bwdFilter, long bwdFilterBytes) {
    }

    /** Device workspace for one call, valid until the call has been enqueued. */
    interface Workspace {
        long get(long bytes);
    }

    private Cudnn(NativeLibrary lib, MemorySegment stream, boolean tf32) {
        library = lib;
        this.tf32 = tf32;
        FunctionDescriptor ptr = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        MethodHandle create = lib.function("cudnnCreate", ptr);
        MethodHandle setStream = lib.function("cudnnSetStream", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle getVersion = lib.function("cudnnGetVersion", FunctionDescriptor.of(JAVA_LONG));
        destroy = lib.function("cudnnDestroy", ptr);
        errorString = lib.function("cudnnGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        createTensor = lib.function("cudnnCreateTensorDescriptor", ptr);
        setTensor = lib.function("cudnnSetTensor4dDescriptor", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        destroyTensor = lib.function("cudnnDestroyTensorDescriptor", ptr);
        createFilter = lib.function("cudnnCreateFilterDescriptor", ptr);
        setFilter = lib.function("cudnnSetFilter4dDescriptor", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        destroyFilter = lib.function("cudnnDestroyFilterDescriptor", ptr);
        createConv = lib.function("cudnnCreateConvolutionDescriptor", ptr);
        setConv = lib.function("cudnnSetConvolution2dDescriptor", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        setGroups = lib.function("cudnnSetConvolutionGroupCount", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        setMath = lib.function("cudnnSetConvolutionMathType", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        destroyConv = lib.function("cudnnDestroyConvolutionDescriptor", ptr);
        FunctionDescriptor algo = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT,
                ADDRESS, ADDRESS);
        fwdAlgo = lib.function("cudnnGetConvolutionForwardAlgorithm_v7", algo);
        bwdDataAlgo = lib.function("cudnnGetConvolutionBackwardDataAlgorithm_v7", algo);
        bwdFilterAlgo = lib.function("cudnnGetConvolutionBackwardFilterAlgorithm_v7", algo);
        FunctionDescriptor ws = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        fwdWs = lib.function("cudnnGetConvolutionForwardWorkspaceSize", ws);
        bwdDataWs = lib.function("cudnnGetConvolutionBackwardDataWorkspaceSize", ws);
        bwdFilterWs = lib.function("cudnnGetConvolutionBackwardFilterWorkspaceSize", ws);
        FunctionDescriptor run = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG,
                ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
        forward = lib.function("cudnnConvolutionForward", run);
        backwardData = lib.function("cudnnConvolutionBackwardData", run);
        backwardFilter = lib.function("cudnnConvolutionBackwardFilter", run);
        Arena arena = Arena.ofAuto();
        one = arena.allocateFrom(JAVA_FLOAT, 1f);
        zero = arena.allocateFrom(JAVA_FLOAT, 0f);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cudnnCreate", (int) create.invokeExact(out));
            handle = out.get(ADDRESS, 0);
            check("cudnnSetStream", (int) setStream.invokeExact(handle, stream));
            version = (long) getVersion.invokeExact();
        } catch (Throwable t) {
            throw Driver.rethrow(t);
        }
    }

    /** cuDNN 9 on the backend's stream, or a CudaUnavailableException that says what was looked for. */
    static Cudnn open(List<Path> dirs, MemorySegment stream, boolean tf32) {
        List<String> failures = new ArrayList<>();
        NativeLibrary main = NativeLibrary.tryOpen(List.of("libcudnn.so.9"), dirs, failures)
                .orElseThrow(() -> new CudaUnavailableException("cuDNN 9 is not available: cannot load libcudnn.so.9 "
                        + "(looked in " + NativeLibrary.searched(dirs) + ")"
                        + (failures.isEmpty() ? "" : ". Attempts: " + String.join("; ", failures))));
        List<NativeLibrary> companions = new ArrayList<>();
        for (String part : List.of("libcudnn_cnn.so.9", "libcudnn_ops.so.9"))
            NativeLibrary.tryOpen(List.of(part), dirs, new ArrayList<>()).ifPresent(companions::add);
        return new Cudnn(main.withCompanions(companions), stream, tf32);
    }

    /** y = conv(x, w). Device addresses; shapes from the spec. */
    void forward(Conv2dSpec s, long x, long w, long y, Workspace ws) {
        Plan p = plan(s);
        run("cudnnConvolutionForward", forward, p.x, x, p.w, w, p, p.fwd, p.fwdBytes, p.y, y, ws);
    }

    /** dx = conv_transpose(dy, w). */
    void backwardData(Conv2dSpec s, long dy, long w, long dx, Workspace ws) {
        Plan p = plan(s);
        run("cudnnConvolutionBackwardData", backwardData, p.w, w, p.y, dy, p, p.bwdData, p.bwdDataBytes, p.x, dx, ws);
    }

    /** dw = the weight gradient. */
    void backwardFilter(Conv2dSpec s, long x, long dy, long dw, Workspace ws) {
        Plan p = plan(s);
        run("cudnnConvolutionBackwardFilter", backwardFilter, p.x, x, p.y, dy, p, p.bwdFilter, p.bwdFilterBytes, p.w,
                dw, ws);
    }

    private void run(String call, MethodHandle h, MemorySegment aDesc, long a, MemorySegment bDesc, long b, Plan p,
                     int algo, long wsBytes, MemorySegment outDesc, long out, Workspace ws) {
        long workspace = wsBytes == 0 ? 0 : ws.get(wsBytes);
        try {
            check(call, (int) h.invokeExact(handle, one, aDesc, a, bDesc, b, p.conv, algo, workspace, wsBytes, zero,
                    outDesc, out));
        } catch (Throwable t) {
            throw Driver.rethrow(t);
        }
    }

    private Plan plan(Conv2dSpec s) {
        Plan p = plans.get(s);
        if (p != null) return p;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment x = descriptor(createTensor, a), w = descriptor(createFilter, a);
            MemorySegment conv = descriptor(createConv, a), y = descriptor(createTensor, a);
            check("cudnnSetTensor4dDescriptor", (int) setTensor.invokeExact(x, NCHW, FLOAT, s.n(), s.c(), s.h(), s.w()));
            check("cudnnSetFilter4dDescriptor", (int) setFilter.invokeExact(w, FLOAT, NCHW, s.k(), s.c() / s.groups(),
                    s.r(), s.s()));
            check("cudnnSetConvolution2dDescriptor", (int) setConv.invokeExact(conv, s.padH(), s.padW(), s.strideH(),
                    s.strideW(), s.dilH(), s.dilW(), CROSS_CORRELATION, FLOAT));
            check("cudnnSetConvolutionGroupCount", (int) setGroups.invokeExact(conv, s.groups()));
            check("cudnnSetConvolutionMathType", (int) setMath.invokeExact(conv, tf32 ? DEFAULT_MATH : FMA_MATH));
            check("cudnnSetTensor4dDescriptor", (int) setTensor.invokeExact(y, NCHW, FLOAT, s.n(), s.k(), s.p(), s.q()));
            int f = choose("forward", fwdAlgo, x, w, conv, y, a);
            int bd = choose("backward data", bwdDataAlgo, w, y, conv, x, a);
            int bf = choose("backward filter", bwdFilterAlgo, x, y, conv, w, a);
            p = new Plan(x, w, conv, y, f, workspace(fwdWs, x, w, conv, y, f, a), bd,
                    workspace(bwdDataWs, w, y, conv, x, bd, a), bf, workspace(bwdFilterWs, x, y, conv, w, bf, a));
        } catch (Throwable t) {
            throw Driver.rethrow(t);
        }
        plans.put(s, p);
        return p;
    }

    private MemorySegment descriptor(MethodHandle create, Arena a) throws Throwable {
        MemorySegment out = a.allocate(ADDRESS);
        check("cudnnCreate*Descriptor", (int) create.invokeExact(out));
        return out.get(ADDRESS, 0);
    }

    /** The first algorithm of cuDNN's heuristic list that succeeds and fits the workspace limit. */
    private int choose(String what, MethodHandle query, MemorySegment a1, MemorySegment a2, MemorySegment conv,
                       MemorySegment a3, Arena a) throws Throwable {
        MemorySegment perf = a.allocate(PERF_BYTES * PERF_ALGOS, 8), count = a.allocate(JAVA_INT);
        check("cudnnGetConvolution*Algorithm_v7 (" + what + ")",
                (int) query.invokeExact(handle, a1, a2, conv, a3, PERF_ALGOS, count, perf));
        for (int i = 0; i < count.get(JAVA_INT, 0); i++) {
            long at = (long) i * PERF_BYTES;
            int algo = perf.get(JAVA_INT, at), status = perf.get(JAVA_INT, at + 4);
            long memory = perf.get(JAVA_LONG, at + 16);
            if (status == 0 && memory <= WORKSPACE_LIMIT) return algo;
        }
        throw new CudaException("cuDNN offers no " + what + " algorithm within a " + CachingAllocator.format(WORKSPACE_LIMIT)
                + " workspace");
    }

    private long workspace(MethodHandle query, MemorySegment a1, MemorySegment a2, MemorySegment conv, MemorySegment a3,
                           int algo, Arena a) throws Throwable {
        MemorySegment out = a.allocate(JAVA_LONG);
        check("cudnnGet*WorkspaceSize", (int) query.invokeExact(handle, a1, a2, conv, a3, algo, out));
        return out.get(JAVA_LONG, 0);
    }

    private void check(String call, int status) {
        if (status == 0) return;
        String text;
        try {
            MemorySegment s = (MemorySegment) errorString.invokeExact(status);
            text = s.equals(MemorySegment.NULL) ? "cudnnStatus " + status : s.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw Driver.rethrow(t);
        }
        throw new CudaException(call + " (" + library + ")", status, text);
    }

    @Override
    public void close() {
        try {
            for (Plan p : plans.values()) {
                check("cudnnDestroyTensorDescriptor", (int) destroyTensor.invokeExact(p.x));
                check("cudnnDestroyTensorDescriptor", (int) destroyTensor.invokeExact(p.y));
                check("cudnnDestroyFilterDescriptor", (int) destroyFilter.invokeExact(p.w));
                check("cudnnDestroyConvolutionDescriptor", (int) destroyConv.invokeExact(p.conv));
            }
            plans.clear();
            check("cudnnDestroy", (int) destroy.invokeExact(handle));
        } catch (Throwable t) {
            throw Driver.rethrow(t);
        }
    }

    /** "cuDNN 9.1.0 (path)". */
    String describe() {
        return "cuDNN " + version / 10000 + "." + version % 10000 / 100 + "." + version % 100 + " (" + library + ")";
    }
}
