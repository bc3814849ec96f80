// elementwise.cu: the element-wise primitives (unary ops, ReLU backward, broadcast binary ops,
// affine, axpy), gradient clipping by a device-side norm, and the beta-scaling that gemm does when
// alpha == 0. One thread per element in a grid-stride loop; memory-bound, so no tiling.
// Not here: reductions (reduce.cu) and anything with a window (conv, pool).
#include "common.cuh"

// The ordinals of org.archrepair.kernels.UnaryOp and BinaryOp.
enum { RELU = 0, NEG = 1, EXP = 2, LOG = 3, SQRT = 4, ABS = 5, SQUARE = 6 };
enum { ADD = 0, SUB = 1, MUL = 2, DIV = 3 };

static __device__ __forceinline__ float unary_op(int op, float x) {
    switch (op) {
        case RELU: return x > 0.f ? x : 0.f;    // NaN -> 0, as UnaryOp.apply
        case NEG: return -x;
        case EXP: return expf(x);
        case LOG: return logf(x);
        case SQRT: return sqrtf(x);
        case ABS: return fabsf(x);
        default: return x * x;
    }
}

static __device__ __forceinline__ float binary_op(int op, float a, float b) {
    switch (op) {
        case ADD: return a + b;
        case SUB: return a - b;
        case MUL: return a * b;
        default: return a / b;
    }
}

// y[i] = op(x[i]); y may be x. x, y: (n)
extern "C" __global__ void unary_f32(int op, const float* x, float* y, int n) {
    GRID_STRIDE(k, n) {
        const int i = (int) k;
        y[i] = unary_op(op, x[i]);
    }
}

// dx[i] = y[i] > 0 ? dy[i] : 0. y, dy, dx: (n)
extern "C" __global__ void relu_backward_f32(const float* __restrict__ y, const float* __restrict__ dy,
                                             float* __restrict__ dx, int n) {
    GRID_STRIDE(k, n) {
        const int i = (int) k;
        dx[i] = y[i] > 0.f ? dy[i] : 0.f;
    }
}

// The broadcast of y = a (op) b after the host merged contiguous dimensions: y is (dims[0], ...,
// dims[rank-1]) row-major; a and b are read at sum_d coord_d * stride_d, stride 0 where broadcast.
#define MAX_BROADCAST_DIMS 8
struct BroadcastShape {
    int rank;
    int dims[MAX_BROADCAST_DIMS];
    int aStride[MAX_BROADCAST_DIMS];
    int bStride[MAX_BROADCAST_DIMS];
};

// y = a (op) b with broadcasting; y may be a or b when that one has y's shape. y: (n)
// The dimension loop is unrolled over the fixed maximum so that the struct is indexed by constants
// (a variable index would copy it to local memory).
extern "C" __global__ void binary_f32(int op, BroadcastShape s, const float* a, const float* b, float* y, int n) {
    GRID_STRIDE(k, n) {
        int rest = (int) k, ia = 0, ib = 0;
#pragma unroll
        for (int d = MAX_BROADCAST_DIMS - 1; d > 0; --d) {
            if (d >= s.rank) continue;
            const int next = rest / s.dims[d], coord = rest - next * s.dims[d];
            ia += coord * s.aStride[d];
            ib += coord * s.bStride[d];
            rest = next;
        }
        ia += rest * s.aStride[0];
        ib += rest * s.bStride[0];
        y[k] = binary_op(op, a[ia], b[ib]);
    }
}

// y = a x + b; y may be x. x, y: (n)
extern "C" __global__ void affine_f32(const float* x, float* y, float a, float b, int n) {
    GRID_STRIDE(k, n) {
        const int i = (int) k;
        y[i] = a * x[i] + b;
    }
}

// y += a x. x, y: (n)
extern "C" __global__ void axpy_f32(float a, const float* __restrict__ x, float* __restrict__ y, int n) {
    GRID_STRIDE(k, n) {
        const int i = (int) k;
        y[i] += a * x[i];
    }
}

// y = x * min(1, maxNorm / (sqrt(sumOfSquares[0]) + 1e-6)), the factor of clip_grad_norm_. With
// IEEE division and square root (nvcc's defaults without --use_fast_math) the factor has the same
// bits as the CPU's. y may be x. sumOfSquares: (1); x, y: (n)
extern "C" __global__ void clip_by_norm_f32(const float* sumOfSquares, float maxNorm, const float* x, float* y, int n) {
    float factor = maxNorm / (sqrtf(sumOfSquares[0]) + 1e-6f);
    factor = factor < 1.f ? factor : 1.f;
    GRID_STRIDE(k, n) {
        const int i = (int) k;
        y[i] = x[i] * factor;
    }
}

// C = beta C for a row-major (m, cols) block with leading dimension ldc; beta == 0 writes zeros
// (NaN in C included), as gemm does when alpha == 0 or k == 0.
extern "C" __global__ void gemm_scale_f32(float* c, int m, int cols, int ldc, float beta) {
    const long long total = (long long) m * cols;
    GRID_STRIDE(k, total) {
        const int row = (int) (k / cols), col = (int) (k - (long long) row * cols);
        float* e = c + (long long) row * ldc + col;
        *e = beta == 0.f ? 0.f : beta * *e;
    }
}
