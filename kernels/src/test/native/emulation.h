// emulation.h: just enough of CUDA's device language for the kernels of src-cuda to compile with g++
// and run on the CPU, so that their index arithmetic, bounds, reductions and barriers are tested on
// machines without a GPU. A launch runs its blocks one after another; the threads of a block are
// fibers that switch only at __syncthreads and at warp shuffles, so block-level
// __shared__ memory can be a static variable. What it cannot show: speed, and races that need two
// threads to interleave between barriers (they never do here).
//
// Used by cuda_emulator.cpp only; every name a kernel may use is defined here and nothing else.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#define ARCHREPAIR_EMULATION 1
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(...)

struct dim3 {
    unsigned x, y, z;
};

namespace emu {
extern dim3 grid_dim, block_dim, block_idx;
// The running thread's index and its position in the block (x fastest).
struct ThreadState {
    dim3 index;
    int linear;
};
extern ThreadState* current_thread;
void sync_threads();
// Exchange of one 64-bit slot per lane of the calling warp; returns the slot of lane src (or own
// value when src is outside the warp). Every lane of the warp must call it with a full mask.
uint64_t warp_exchange(unsigned mask, uint64_t mine, int src);
inline int lane() { return current_thread->linear % 32; }
}  // namespace emu

#define threadIdx (emu::current_thread->index)
#define blockIdx (emu::block_idx)
#define blockDim (emu::block_dim)
#define gridDim (emu::grid_dim)

inline void __syncthreads() { emu::sync_threads(); }

template <typename T>
inline T emu_shuffle(unsigned mask, T v, int src) {
    static_assert(sizeof(T) <= 8, "64-bit slots");
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(T));
    bits = emu::warp_exchange(mask, bits, src);
    T r;
    std::memcpy(&r, &bits, sizeof(T));
    return r;
}

template <typename T>
inline T __shfl_down_sync(unsigned mask, T v, int delta) {
    const int src = emu::lane() + delta;
    return emu_shuffle(mask, v, src < 32 ? src : emu::lane());
}

template <typename T>
inline T __shfl_xor_sync(unsigned mask, T v, int laneMask) {
    return emu_shuffle(mask, v, emu::lane() ^ laneMask);
}

// One fiber runs at a time, so read-modify-write is atomic.
inline int atomicAdd(int* p, int v) {
    const int old = *p;
    *p = old + v;
    return old;
}

inline int atomicOr(int* p, int v) {
    const int old = *p;
    *p = old | v;
    return old;
}

using std::isnan;
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
