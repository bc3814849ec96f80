package org.archrepair.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuBLAS for the GEMMs, from {@code libcublas.so.13} or {@code .12} (the one the driver supports
 * first): one handle on the backend's stream, an explicit math mode ({@code CUBLAS_DEFAULT_MATH},
 * exact FP32, unless TF32 was asked for: {@code CUBLAS_TF32_TENSOR_OP_MATH}), and row-major SGEMM
 * and strided-batched SGEMM written as the column-major calls cuBLAS has: row-major
 * {@code C = op(A) op(B)} is column-major {@code C^T = op(B)^T op(A)^T}, so A and B trade places.
 *
 * <p>Device pointers are passed as {@code long}s: on the 64-bit System V and AArch64 ABIs a pointer
 * argument and a 64-bit integer travel the same way. Calls are not thread-safe (the backend is).
 */
final class Cublas implements AutoCloseable {
    static final int DEFAULT_MATH = 0, TF32_TENSOR_OP_MATH = 3;
    private static final int OP_N = 0, OP_T = 1;

    final NativeLibrary library;
    final int version;
    final boolean tf32;
    private final MethodHandle destroy, sgemm, sgemmStridedBatched;
    private final Optional<MethodHandle> statusString;
    private final MemorySegment handle;
    /** alpha and beta on the host (CUBLAS_POINTER_MODE_HOST, the default). */
    private final MemorySegment scalars = Arena.ofAuto().allocate(JAVA_FLOAT, 2);

    private Cublas(NativeLibrary lib, MemorySegment stream, boolean tf32) {
        this.library = lib;
        this.tf32 = tf32;
        MethodHandle create = lib.function("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle setStream = lib.function("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle setMathMode = lib.function("cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        MethodHandle getVersion = lib.function("cublasGetVersion_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        destroy = lib.function("cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        sgemm = lib.function("cublasSgemm_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        sgemmStridedBatched = lib.function("cublasSgemmStridedBatched", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG,
                JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        statusString = lib.optionalFunction("cublasGetStatusString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check("cublasCreate_v2", (int) create.invokeExact(out));
            handle = out.get(ADDRESS, 0);
            check("cublasSetStream_v2", (int) setStream.invokeExact(handle, stream));
            check("cublasSetMathMode", (int) setMathMode.invokeExact(handle, tf32 ? TF32_TENSOR_OP_MATH : DEFAULT_MATH));
            MemorySegment v = a.allocate(JAVA_INT);
            check("cublasGetVersion_v2", (int) getVersion.invokeExact(handle, v));
            version = v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw Driver.rethrow(t);
        }
    }

    /** The sonames to try: the one that matches the driver's CUDA major version first. */
    static List<String> sonames(int driverVersion) {
        return driverVersion >= 13000 ? List.of("libcublas.so.13", "libcublas.so.12")
                : List.of("libcublas.so.12", "libcublas.so.13");
    }

    static Cublas open(List<Path> dirs, int driverVersion, MemorySegment stream, boolean tf32) {
        List<String> failures = new ArrayList<>();
        List<String> names = sonames(driverVersion);
        NativeLibrary lib = NativeLibrary.tryOpen(names, dirs, failures).orElseThrow(() -> new CudaUnavailableException(
                "cuBLAS is not available: cannot load " + String.join(" or ", names) + " (looked in "
                        + NativeLibrary.searched(dirs) + "). It ships with the CUDA toolkit and with PyTorch's "
                        + "nvidia-cublas package; point -Darchrepair.cuda.libs at its folder."
                        + (failures.isEmpty() ? "" : " Attempts: " + String.join("; ", failures))));
        return new Cublas(lib, stream, tf32);
    }

    /**
     * Row-major C = alpha op(A) op(B) + beta C with op(A): (m, k), op(B): (k, n), C: (m, n); a, b, c
     * are the device addresses of the first elements.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long b, int ldb,
              float beta, long c, int ldc) {
        scalars.setAtIndex(JAVA_FLOAT, 0, alpha);
        scalars.setAtIndex(JAVA_FLOAT, 1, beta);
        int status;
        try {
            status = (int) sgemm.invokeExact(handle, transB ? OP_T : OP_N, transA ? OP_T : OP_N, n, m, k,
                    scalars, b, ldb, a, lda, scalars.asSlice(4), c, ldc);
        } catch (Throwable t) {
            throw Driver.rethrow(t);
        }
        check("cublasSgemm_v2", status);
    }

    /** {@link #gemm} for batch independent products, the i-th at a + i strideA, b + i strideB, c + i strideC (elements). */
    void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda,
                            long strideA, long b, int ldb, long strideB, float beta, long c, int ldc, long strideC,
                            int batch) {
        scalars.setAtIndex(JAVA_FLOAT, 0, alpha);
        scalars.setAtIndex(JAVA_FLOAT, 1, beta);
        int status;
        try {
            status = (int) sgemmStridedBatched.invokeExact(handle, transB ? OP_T : OP_N, transA ? OP_T : OP_N, n, m, k,
                    scalars, b, ldb, strideB, a, lda, strideA, scalars.asSlice(4), c, ldc, strideC, batch);
        } catch (Throwable t) {
            throw Driver.rethrow(t);
        }
        check("cublasSgemmStridedBatched", status);
    }

    private void check(String call, int status) {
        if (status == 0) return;
        String text = "CUBLAS_STATUS " + status;
        if (statusString.isPresent()) {
            try {
                MemorySegment s = (MemorySegment) statusString.get().invokeExact(status);
                if (!s.equals(MemorySegment.NULL)) text = s.reinterpret(Long.MAX_VALUE).getString(0);
            } catch (Throwable t) {
                throw Driver.rethrow(t);
            }
        }
        throw new CudaException(call + " (" + library + ")", status, text);
    }

    @Override
    public void close() {
        try {
            check("cublasDestroy_v2", (int) destroy.invokeExact(handle));
        } catch (Throwable t) {
            throw Driver.rethrow(t);
        }
    }
}
