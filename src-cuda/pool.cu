// pool.cu: max and average pooling (padding, stride, floor mode, count_include_pad = false) forward
// and backward, and global average pooling. The backward passes are gathers: each input element
// sums, in window order, the gradients of the windows that chose it (max) or cover it (average),
// so they need no atomics and add in the same order as the CPU reference's scatter.
#include "common.cuh"

struct PoolGeometry {
    int h, w, p, q, kernelH, kernelW, strideH, strideW, padH, padW;
};

// The windows [begin, end) along one axis that cover input position i.
static __device__ __forceinline__ int first_window(int i, int pad, int kernel, int stride) {
    return i + pad < kernel ? 0 : (i + pad - kernel) / stride + 1;
}

static __device__ __forceinline__ int end_window(int i, int pad, int stride, int windows) {
    const int last = (i + pad) / stride + 1;
    return last < windows ? last : windows;
}

// y = max over the window; argmax = ih * w + iw of the winner: start at the first in-image position
// with -inf, move on v > best or v NaN (PyTorch's rule, and PoolRef's). x: (planes, h, w); y, argmax: (planes, p, q)
extern "C" __global__ void max_pool2d_forward_f32(PoolGeometry g, int planes, const float* __restrict__ x,
                                                  float* __restrict__ y, int* __restrict__ argmax) {
    const int pq = g.p * g.q;
    const long long total = (long long) planes * pq;
    GRID_STRIDE(e, total) {
        const long long plane = e / pq;
        const int pix = (int) (e - plane * pq), op = pix / g.q, oq = pix - op * g.q;
        const int h0 = op * g.strideH - g.padH, w0 = oq * g.strideW - g.padW;
        const float* xp = x + plane * g.h * g.w;
        float best = -INFINITY;
        int arg = (h0 > 0 ? h0 : 0) * g.w + (w0 > 0 ? w0 : 0);
        for (int rr = 0; rr < g.kernelH; ++rr) {
            const int ih = h0 + rr;
            if (ih < 0 || ih >= g.h) continue;
            for (int ss = 0; ss < g.kernelW; ++ss) {
                const int iw = w0 + ss;
                if (iw < 0 || iw >= g.w) continue;
                const float v = xp[ih * g.w + iw];
                if (v > best || isnan(v)) {
                    best = v;
                    arg = ih * g.w + iw;
                }
            }
        }
        y[e] = best;
        argmax[e] = arg;
    }
}

// dx[plane, ih, iw] = the sum of dy over the windows whose argmax is (ih, iw), in window order.
// dy, argmax: (planes, p, q); dx: (planes, h, w)
extern "C" __global__ void max_pool2d_backward_f32(PoolGeometry g, int planes, const float* __restrict__ dy,
                                                   const int* __restrict__ argmax, float* __restrict__ dx) {
    const int hw = g.h * g.w, pq = g.p * g.q;
    const long long total = (long long) planes * hw;
    GRID_STRIDE(e, total) {
        const long long plane = e / hw;
        const int pix = (int) (e - plane * hw), ih = pix / g.w, iw = pix - ih * g.w;
        const int p0 = first_window(ih, g.padH, g.kernelH, g.strideH), p1 = end_window(ih, g.padH, g.strideH, g.p);
        const int q0 = first_window(iw, g.padW, g.kernelW, g.strideW), q1 = end_window(iw, g.padW, g.strideW, g.q);
        const float* dyp = dy + plane * pq;
        const int* ap = argmax + plane * pq;
        float acc = 0.f;
        for (int op = p0; op < p1; ++op)
            for (int oq = q0; oq < q1; ++oq)
                if (ap[op * g.q + oq] == pix) acc += dyp[op * g.q + oq];
        dx[e] = acc;
    }
}

// The number of in-image positions of window (op, oq) (count_include_pad = false).
static __device__ __forceinline__ int window_size(const PoolGeometry& g, int op, int oq) {
    const int h0 = op * g.strideH - g.padH, w0 = oq * g.strideW - g.padW;
    const int h1 = min(h0 + g.kernelH, g.h), w1 = min(w0 + g.kernelW, g.w);
    return (h1 - max(h0, 0)) * (w1 - max(w0, 0));
}

// y = mean of the in-image part of the window. x: (planes, h, w); y: (planes, p, q)
extern "C" __global__ void avg_pool2d_forward_f32(PoolGeometry g, int planes, const float* __restrict__ x,
                                                  float* __restrict__ y) {
    const int pq = g.p * g.q;
    const long long total = (long long) planes * pq;
    GRID_STRIDE(e, total) {
        const long long plane = e / pq;
        const int pix = (int) (e - plane * pq), op = pix / g.q, oq = pix - op * g.q;
        const int h0 = max(op * g.strideH - g.padH, 0), h1 = min(op * g.strideH - g.padH + g.kernelH, g.h);
        const int w0 = max(oq * g.strideW - g.padW, 0), w1 = min(oq * g.strideW - g.padW + g.kernelW, g.w);
        const float* xp = x + plane * g.h * g.w;
        float acc = 0.f;
        for (int ih = h0; ih < h1; ++ih)
            for (int iw = w0; iw < w1; ++iw) acc += xp[ih * g.w + iw];
        y[e] = acc / (float) ((h1 - h0) * (w1 - w0));
    }
}

// dx[plane, ih, iw] = sum over the windows covering (ih, iw) of dy / window size, in window order.
// dy: (planes, p, q); dx: (planes, h, w)
extern "C" __global__ void avg_pool2d_backward_f32(PoolGeometry g, int planes, const float* __restrict__ dy,
                                                   float* __restrict__ dx) {
    const int hw = g.h * g.w, pq = g.p * g.q;
    const long long total = (long long) planes * hw;
    GRID_STRIDE(e, total) {
        const long long plane = e / hw;
        const int pix = (int) (e - plane * hw), ih = pix / g.w, iw = pix - ih * g.w;
        const int p0 = first_window(ih, g.padH, g.kernelH, g.strideH), p1 = end_window(ih, g.padH, g.strideH, g.p);
        const int q0 = first_window(iw, g.padW, g.kernelW, g.strideW), q1 = end_window(iw, g.padW, g.strideW, g.q);
        const float* dyp = dy + plane * pq;
        float acc = 0.f;
        for (int op = p0; op < p1; ++op)
            for (int oq = q0; oq < q1; ++oq) acc += dyp[op * g.q + oq] / (float) window_size(g, op, oq);
        dx[e] = acc;
    }
}

// y[plane] = mean of x[plane, :]. One warp per plane. x: (planes, hw); y: (planes)
extern "C" __global__ void global_avg_pool_forward_f32(const float* __restrict__ x, int planes, int hw,
                                                       float* __restrict__ y) {
    const int lane = threadIdx.x % WARP_SIZE;
    const long long warps = (long long) gridDim.x * (blockDim.x / WARP_SIZE);
    for (long long plane = (long long) blockIdx.x * (blockDim.x / WARP_SIZE) + threadIdx.x / WARP_SIZE;
         plane < planes; plane += warps) {
        const float* xp = x + plane * hw;
        float acc = 0.f;
        for (int j = lane; j < hw; j += WARP_SIZE) acc += xp[j];
        acc = warp_sum(acc);
        if (lane == 0) y[plane] = acc / (float) hw;
    }
}

// dx[plane, j] = dy[plane] / hw. dy: (planes); dx: (planes, hw)
extern "C" __global__ void global_avg_pool_backward_f32(const float* __restrict__ dy, int planes, int hw,
                                                        float* __restrict__ dx) {
    const long long total = (long long) planes * hw;
    GRID_STRIDE(e, total) dx[e] = dy[e / hw] / (float) hw;
}
