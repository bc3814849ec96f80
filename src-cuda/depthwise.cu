// depthwise.cu: direct kernels for depthwise convolution (groups == c == k: every channel its own
// r x s filter), with any stride, padding and dilation: the 3x3 / 5x5 (dilated) separable convs of
// DARTS. A GEMM would multiply 1 x (r s) matrices; here one thread computes one output (forward),
// one input gradient (a gather over the taps that reach it), and one block one weight gradient tap.
// Not here: grouped convolutions with more than one channel per group (conv.cu + cuBLAS).
#include "common.cuh"

// y[i, ch, op, oq] = sum_{rr, ss} x[i, ch, ih, iw] w[ch, rr, ss]. x: (n, c, h, w); w: (c, 1, r, s); y: (n, c, p, q)
extern "C" __global__ void depthwise_conv2d_forward_f32(ConvGeometry g, int n, const float* __restrict__ x,
                                                        const float* __restrict__ w, float* __restrict__ y) {
    const int pq = g.p * g.q;
    const long long total = (long long) n * g.c * pq;
    GRID_STRIDE(e, total) {
        const long long plane = e / pq;
        const int pix = (int) (e - plane * pq), ch = (int) (plane % g.c);
        const int op = pix / g.q, oq = pix - op * g.q;
        const float* xp = x + plane * g.h * g.w;
        const float* wp = w + ch * g.r * g.s;
        float acc = 0.f;
        for (int rr = 0; rr < g.r; ++rr) {
            const int ih = op * g.strideH - g.padH + rr * g.dilH;
            if (ih < 0 || ih >= g.h) continue;
            for (int ss = 0; ss < g.s; ++ss) {
                const int iw = oq * g.strideW - g.padW + ss * g.dilW;
                if (iw < 0 || iw >= g.w) continue;
                acc += xp[ih * g.w + iw] * wp[rr * g.s + ss];
            }
        }
        y[e] = acc;
    }
}

// dx[i, ch, ih, iw] = sum over the taps (rr, ss) whose window position (op, oq) reads (ih, iw) of
// dy[i, ch, op, oq] w[ch, rr, ss]. dy: (n, c, p, q); w: (c, 1, r, s); dx: (n, c, h, w)
extern "C" __global__ void depthwise_conv2d_backward_data_f32(ConvGeometry g, int n, const float* __restrict__ dy,
                                                              const float* __restrict__ w, float* __restrict__ dx) {
    const int hw = g.h * g.w;
    const long long total = (long long) n * g.c * hw;
    GRID_STRIDE(e, total) {
        const long long plane = e / hw;
        const int pix = (int) (e - plane * hw), ch = (int) (plane % g.c);
        const int ih = pix / g.w, iw = pix - ih * g.w;
        const float* dyp = dy + plane * g.p * g.q;
        const float* wp = w + ch * g.r * g.s;
        float acc = 0.f;
        for (int rr = 0; rr < g.r; ++rr) {
            const int th = ih + g.padH - rr * g.dilH;
            if (th < 0 || th % g.strideH != 0) continue;
            const int op = th / g.strideH;
            if (op >= g.p) continue;
            for (int ss = 0; ss < g.s; ++ss) {
                const int tw = iw + g.padW - ss * g.dilW;
                if (tw < 0 || tw % g.strideW != 0) continue;
                const int oq = tw / g.strideW;
                if (oq >= g.q) continue;
                acc += dyp[op * g.q + oq] * wp[rr * g.s + ss];
            }
        }
        dx[e] = acc;
    }
}

// dw[ch, tap] = sum over images and output positions of dy[i, ch, op, oq] x[i, ch, ih, iw] at that
// tap. One block per (ch, tap), blockIdx.x = ch * r * s + tap. x: (n, c, h, w); dy: (n, c, p, q); dw: (c, 1, r, s)
extern "C" __global__ void depthwise_conv2d_backward_weight_f32(ConvGeometry g, int n, const float* __restrict__ x,
                                                                const float* __restrict__ dy, float* __restrict__ dw) {
    const int taps = g.r * g.s, ch = blockIdx.x / taps, tap = blockIdx.x - ch * taps;
    const int rr = tap / g.s, ss = tap - rr * g.s;
    const int pq = g.p * g.q, hw = g.h * g.w;
    const long long total = (long long) n * pq;
    float acc = 0.f;
    for (long long e = threadIdx.x; e < total; e += blockDim.x) {
        const int i = (int) (e / pq), pix = (int) (e - (long long) i * pq);
        const int op = pix / g.q, oq = pix - op * g.q;
        const int ih = op * g.strideH - g.padH + rr * g.dilH, iw = oq * g.strideW - g.padW + ss * g.dilW;
        if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
        const long long plane = (long long) i * g.c + ch;
        acc += dy[plane * pq + pix] * x[plane * hw + ih * g.w + iw];
    }
    acc = block_sum(acc);
    if (threadIdx.x == 0) dw[blockIdx.x] = acc;
}
