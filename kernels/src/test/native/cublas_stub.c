/*
 * cublas_stub.c: a stub cuBLAS for the tests that run without a GPU, built twice (libcublas.so.13
 * and libcublas.so.12, each with that soname and its symbols in a version node of that name, as
 * the real libraries have them). The GEMMs are plain column-major loops over host memory (the
 * emulator's device memory), with BLAS semantics: beta == 0 ignores C, alpha == 0 or k == 0 reads
 * neither A nor B. Test hooks report the last math mode and stream set on a handle.
 */
#include <stdlib.h>

#define SUCCESS 0
#define NOT_INITIALIZED 1
#define INVALID_VALUE 7

typedef struct {
    int math_mode;
    void* stream;
} Handle;

static int last_math_mode = -1;
static void* last_stream;

int emu_cublas_last_math_mode(void) { return last_math_mode; }
void* emu_cublas_last_stream(void) { return last_stream; }

int cublasCreate_v2(Handle** handle) {
    *handle = calloc(1, sizeof(Handle));
    return *handle != NULL ? SUCCESS : NOT_INITIALIZED;
}

int cublasDestroy_v2(Handle* handle) {
    free(handle);
    return SUCCESS;
}

int cublasGetVersion_v2(Handle* handle, int* version) {
    (void) handle;
    *version = STUB_CUBLAS_VERSION;
    return SUCCESS;
}

int cublasSetStream_v2(Handle* handle, void* stream) {
    handle->stream = stream;
    last_stream = stream;
    return SUCCESS;
}

int cublasSetMathMode(Handle* handle, int mode) {
    handle->math_mode = mode;
    last_math_mode = mode;
    return SUCCESS;
}

const char* cublasGetStatusString(int status) {
    switch (status) {
        case SUCCESS: return "CUBLAS_STATUS_SUCCESS";
        case NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
        case INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
        default: return "CUBLAS_STATUS_UNKNOWN";
    }
}

/* C = alpha op(A) op(B) + beta C, column-major; op = 0 (N) or 1 (T). */
static void gemm(int ta, int tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
                 float beta, float* c, int ldc) {
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < m; ++i) {
            double acc = 0;
            if (alpha != 0.f)
                for (int p = 0; p < k; ++p) {
                    const float av = ta ? a[p + (long) i * lda] : a[i + (long) p * lda];
                    const float bv = tb ? b[j + (long) p * ldb] : b[p + (long) j * ldb];
                    acc += (double) av * bv;
                }
            float* e = c + i + (long) j * ldc;
            *e = (float) (alpha * acc) + (beta == 0.f ? 0.f : beta * *e);
        }
}

static int valid(int ta, int tb, int m, int n, int k, int lda, int ldb, int ldc) {
    const int rowsA = ta ? k : m, rowsB = tb ? n : k;
    return (ta == 0 || ta == 1) && (tb == 0 || tb == 1) && m >= 0 && n >= 0 && k >= 0 && lda >= (rowsA > 1 ? rowsA : 1)
           && ldb >= (rowsB > 1 ? rowsB : 1) && ldc >= (m > 1 ? m : 1);
}

int cublasSgemm_v2(Handle* handle, int ta, int tb, int m, int n, int k, const float* alpha, const float* a, int lda,
                   const float* b, int ldb, const float* beta, float* c, int ldc) {
    (void) handle;
    if (!valid(ta, tb, m, n, k, lda, ldb, ldc)) return INVALID_VALUE;
    gemm(ta, tb, m, n, k, *alpha, a, lda, b, ldb, *beta, c, ldc);
    return SUCCESS;
}

int cublasSgemmStridedBatched(Handle* handle, int ta, int tb, int m, int n, int k, const float* alpha,
                              const float* a, int lda, long long strideA, const float* b, int ldb, long long strideB,
                              const float* beta, float* c, int ldc, long long strideC, int batch) {
    (void) handle;
    if (!valid(ta, tb, m, n, k, lda, ldb, ldc) || batch < 0) return INVALID_VALUE;
    for (int i = 0; i < batch; ++i)
        gemm(ta, tb, m, n, k, *alpha, a + i * strideA, lda, b + i * strideB, ldb, *beta, c + i * strideC, ldc);
    return SUCCESS;
}
