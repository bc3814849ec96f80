// reduce.cu: reductions. Dot products and sums of squares in two passes (per-block partial sums,
// then one block per segment adds them in a fixed order, in double), the backward of a broadcast
// (sum_to: one block per output element), and the row-wise argmax and correct-prediction count.
// Not here: the per-channel reductions of batch norm (batchnorm.cu) and of the mixed op (mixed.cu),
// which reuse sum_partials_f32.
#include "common.cuh"

// partials[blockIdx.x] = the sum of a[i] * b[i] over this block's share of the grid-stride loop.
// a, b: (n); partials: (gridDim.x). b may be a (a sum of squares).
extern "C" __global__ void dot_partial_f32(const float* a, const float* b, int n, float* partials) {
    float acc = 0.f;
    GRID_STRIDE(k, n) acc += a[k] * b[k];
    acc = block_sum(acc);
    if (threadIdx.x == 0) partials[blockIdx.x] = acc;
}

// Block s adds partials[s * count .. s * count + count) in double, divides by divisor and writes
// out[s] (or adds it, when accumulate). partials: (segments, count); out: (segments).
extern "C" __global__ void sum_partials_f32(const float* partials, int count, float divisor, float* out,
                                            int accumulate) {
    const float* p = partials + (long long) blockIdx.x * count;
    double acc = 0.0;
    for (int i = threadIdx.x; i < count; i += blockDim.x) acc += p[i];
    acc = block_sum(acc);
    if (threadIdx.x == 0) {
        const float v = (float) (acc / divisor);
        out[blockIdx.x] = accumulate ? out[blockIdx.x] + v : v;
    }
}

// The dimensions of x left after the host merged neighbours of the same kind: kept ones (y has
// them) and reduced ones (y has 1 there), each with x's row-major stride.
#define MAX_REDUCE_DIMS 4
struct ReducePlan {
    int keptRank, keptDims[MAX_REDUCE_DIMS], keptStrides[MAX_REDUCE_DIMS];
    int reducedRank, reducedDims[MAX_REDUCE_DIMS], reducedStrides[MAX_REDUCE_DIMS];
    int reducedCount;
};

// Offset in x of the index'th point of a row-major box of dims with the given strides. Unrolled over
// the fixed maximum so that the plan's arrays are indexed by constants (no local-memory copy).
static __device__ __forceinline__ long long box_offset(int index, int rank, const int* dims, const int* strides) {
    long long off = 0;
#pragma unroll
    for (int d = MAX_REDUCE_DIMS - 1; d >= 0; --d) {
        if (d >= rank) continue;
        const int next = index / dims[d];
        off += (long long) (index - next * dims[d]) * strides[d];
        index = next;
    }
    return off;
}

// y[j] = sum of x over the reduced dimensions at kept coordinates j (the backward of a broadcast).
// One block per output element. x: the plan's box; y: (outputs)
extern "C" __global__ void sum_to_f32(ReducePlan plan, const float* __restrict__ x, float* __restrict__ y, int outputs) {
    for (int j = blockIdx.x; j < outputs; j += gridDim.x) {   // uniform over the block
        const float* base = x + box_offset(j, plan.keptRank, plan.keptDims, plan.keptStrides);
        float acc = 0.f;
        for (int r = threadIdx.x; r < plan.reducedCount; r += blockDim.x)
            acc += base[box_offset(r, plan.reducedRank, plan.reducedDims, plan.reducedStrides)];
        acc = block_sum(acc);
        if (threadIdx.x == 0) y[j] = acc;
    }
}

// The first column of the row's maximum, moving only to a strictly greater value: a NaN never wins
// past column 0 (as Evaluator.argmax on the host).
static __device__ __forceinline__ int row_argmax(const float* row, int cols) {
    int best = 0;
    float bestValue = row[0];
    for (int j = 1; j < cols; ++j) {
        const float v = row[j];
        if (v > bestValue) {
            best = j;
            bestValue = v;
        }
    }
    return best;
}

// out[r] = argmax of row r. One thread per row. x: (rows, cols); out: (rows)
extern "C" __global__ void argmax_rows_f32(const float* __restrict__ x, int rows, int cols, int* __restrict__ out) {
    GRID_STRIDE(r, rows) out[r] = row_argmax(x + r * (long long) cols, cols);
}

// count[0] += rows whose argmax equals their label; integer atomics, one per block, so the total is
// exact whatever the order. x: (rows, cols); labels: (rows); count: (1)
extern "C" __global__ void count_correct_f32(const float* __restrict__ x, const int* __restrict__ labels, int rows,
                                             int cols, int* count) {
    int correct = 0;
    GRID_STRIDE(r, rows) correct += row_argmax(x + r * (long long) cols, cols) == labels[r] ? 1 : 0;
    correct = block_sum(correct);
    if (threadIdx.x == 0 && correct != 0) atomicAdd(count, correct);
}
