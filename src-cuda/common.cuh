// common.cuh: what every kernel family shares: the grid-stride loop, warp and block reductions
// (warp shuffles, one shared slot per warp), and the parameter structs that more than one family
// passes by value. Not a kernel, and no host code.
//
// Conventions of every .cu here:
// - entry points are extern "C" __global__ <op>_<variant>_f32, named after the Backend primitive;
// - element counts are below 2^31 (the host checks), so indices are int; loop counters and
//   products that can pass 2^31 (im2col columns, n * c * h * w) are long long;
// - a block has a multiple of 32 threads, at most 1024, and every thread of a block reaches every
//   __syncthreads and every shuffle (a whole warp leaves a loop together or not at all);
// - reductions are deterministic: a fixed partition of the work into blocks, partial sums written
//   to memory and summed in a fixed order by a second kernel; no floating-point atomics.
//
// The same sources also compile with g++ for the CPU-only tests: kernels/src/test/native/emulation.h
// defines the CUDA keywords and built-ins used here, and nothing else is allowed in.
#pragma once

#define WARP_SIZE 32
#define FULL_MASK 0xffffffffu

// Grid-stride loop over [0, n) with a 64-bit counter k (n may be a long long).
#define GRID_STRIDE(k, n)                                                                   \
    for (long long k = (long long) blockIdx.x * blockDim.x + threadIdx.x; k < (long long) (n); \
         k += (long long) blockDim.x * gridDim.x)

// Sum over a warp; lane 0 holds the result.
template <typename T>
static __device__ __forceinline__ T warp_sum(T v) {
    for (int offset = WARP_SIZE / 2; offset > 0; offset >>= 1) v += __shfl_down_sync(FULL_MASK, v, offset);
    return v;
}

// Sum over a warp; every lane holds the result (butterfly).
static __device__ __forceinline__ float warp_all_sum(float v) {
    for (int offset = WARP_SIZE / 2; offset > 0; offset >>= 1) v += __shfl_xor_sync(FULL_MASK, v, offset);
    return v;
}

// Maximum over a warp (NaN-free inputs give the maximum; a NaN may or may not survive), every lane.
static __device__ __forceinline__ float warp_all_max(float v) {
    for (int offset = WARP_SIZE / 2; offset > 0; offset >>= 1) v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, offset));
    return v;
}

// Sum over the block; every thread must call it; thread 0 holds the result. The trailing barrier
// lets a block call it again (the shared slots are reused). Not static: a function-local
// __shared__ of an internal-linkage function gets a name with a hash of the source path in the PTX,
// and the PTX must not depend on where the sources were checked out.
template <typename T>
__device__ __forceinline__ T block_sum(T v) {
    __shared__ T partial[WARP_SIZE];
    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    v = warp_sum(v);
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < (int) (blockDim.x / WARP_SIZE) ? partial[lane] : T(0);
        v = warp_sum(v);
    }
    __syncthreads();
    return v;
}

// Geometry of one 2-D convolution (the Conv2dSpec of the host without n, k and groups): x is
// (n, c, h, w), a window is r x s taps, y is (n, k, p, q).
struct ConvGeometry {
    int c, h, w, r, s, p, q, strideH, strideW, padH, padW, dilH, dilW;
};
