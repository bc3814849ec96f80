// mixed.cu: the partial-channel and mixed-operation primitives of DARTS / PC-DARTS: channel copies
// (concat, split and their gradients), the channel shuffle, and the softmax-weighted sum of the
// candidate ops with its gradients for the inputs and the weights. The weights stay on the device
// (they come from softmax(alpha)); up to 8 inputs per launch, the host chains launches beyond that.
#include "common.cuh"

#define MAX_MIXED 8
struct Inputs8 {
    const float* p[MAX_MIXED];
};
struct Outputs8 {
    float* p[MAX_MIXED];    // null: that gradient is not wanted
};

// dst[i, dstStart + cc, :] (+)= src[i, srcStart + cc, :] for cc < count. src: (n, srcC, hw); dst: (n, dstC, hw)
extern "C" __global__ void copy_channels_f32(const float* __restrict__ src, float* __restrict__ dst, int n, int hw,
                                             int srcC, int srcStart, int dstC, int dstStart, int count,
                                             int accumulate) {
    const long long block = (long long) count * hw, total = n * block;
    GRID_STRIDE(e, total) {
        const long long i = e / block, rest = e - i * block;
        const float v = src[(i * srcC + srcStart) * hw + rest];
        float* d = dst + (i * dstC + dstStart) * hw + rest;
        *d = accumulate ? *d + v : v;
    }
}

// y[i, j * groups + g, :] = x[i, g * (c / groups) + j, :]. x, y: (n, c, hw)
extern "C" __global__ void channel_shuffle_f32(const float* __restrict__ x, float* __restrict__ y, int n, int c,
                                               int hw, int groups) {
    const int per = c / groups;
    const long long image = (long long) c * hw, total = n * image;
    GRID_STRIDE(e, total) {
        const long long i = e / image;
        const int rest = (int) (e - i * image), yc = rest / hw, pix = rest - yc * hw;
        const int g = yc % groups, j = yc / groups;
        y[e] = x[(i * c + g * per + j) * hw + pix];
    }
}

// y = (accumulate ? y : 0) + sum_k weights[k] xs[k], k in order. xs[k], y: (n); weights: (count)
extern "C" __global__ void mixed_sum_forward_f32(Inputs8 xs, int count, const float* __restrict__ weights,
                                                 float* __restrict__ y, int n, int accumulate) {
    GRID_STRIDE(e, n) {
        float acc = accumulate ? y[e] : 0.f;
#pragma unroll
        for (int k = 0; k < MAX_MIXED; ++k)     // constant indices: the pointers stay in parameter space
            if (k < count) acc += weights[k] * xs.p[k][e];
        y[e] = acc;
    }
}

// dxs[k] = weights[k] dy for the wanted k. dy, dxs[k]: (n); weights: (count)
extern "C" __global__ void mixed_sum_backward_data_f32(Outputs8 dxs, int count, const float* __restrict__ weights,
                                                       const float* __restrict__ dy, int n) {
    GRID_STRIDE(e, n) {
        const float d = dy[e];
#pragma unroll
        for (int k = 0; k < MAX_MIXED; ++k)
            if (k < count && dxs.p[k] != nullptr) dxs.p[k][e] = weights[k] * d;
    }
}

// partials[k, blockIdx.x] = this block's share of sum(xs[k] dy); grid: (blocks, count); the host then
// adds each row of partials with sum_partials_f32. xs[k], dy: (n); partials: (count, gridDim.x)
extern "C" __global__ void mixed_sum_backward_weights_f32(Inputs8 xs, const float* __restrict__ dy, int n,
                                                          float* __restrict__ partials) {
    const float* x = nullptr;
#pragma unroll
    for (int k = 0; k < MAX_MIXED; ++k)         // select by constant index (no local-memory copy)
        if (k == (int) blockIdx.y) x = xs.p[k];
    float acc = 0.f;
    GRID_STRIDE(e, n) acc += x[e] * dy[e];
    acc = block_sum(acc);
    if (threadIdx.x == 0) partials[(long long) blockIdx.y * gridDim.x + blockIdx.x] = acc;
}
