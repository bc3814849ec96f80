// conv.cu: the data movement around the cuBLAS GEMMs of a general convolution (any stride, padding,
// dilation and groups): im2col for the forward pass and the weight gradient, col2im for the data
// gradient (a gather: each input element sums its taps, so no atomics and a fixed order), and the
// regrouping of dy that turns the weight gradient into one GEMM over the whole batch.
//
// The column matrix of a chunk of nCount images and one group of cg channels is
//     col: (cg * r * s, nCount * p * q)   row (cc, rr, ss), column (i, op, oq), row-major,
// so image i's block starts at column i * p * q and the forward GEMM of each image writes straight
// into y's NCHW layout. Not here: depthwise convolution, which has its own direct kernels.
#include "common.cuh"

// col = im2col of images [nStart, nStart + nCount) and channels [c0, c0 + cg) of x (zeros where the
// window leaves the image). x: (n, c, h, w); col: (cg * r * s, nCount * p * q)
extern "C" __global__ void conv2d_im2col_f32(ConvGeometry g, const float* __restrict__ x, float* __restrict__ col,
                                             int c0, int cg, int nStart, int nCount) {
    const int pq = g.p * g.q, cols = nCount * pq;
    const long long total = (long long) cg * g.r * g.s * cols;
    GRID_STRIDE(k, total) {
        const int row = (int) (k / cols), column = (int) (k - (long long) row * cols);
        const int i = column / pq, pix = column - i * pq;
        const int op = pix / g.q, oq = pix - op * g.q;
        const int ss = row % g.s, rs = row / g.s, rr = rs % g.r, cc = rs / g.r;
        const int ih = op * g.strideH - g.padH + rr * g.dilH, iw = oq * g.strideW - g.padW + ss * g.dilW;
        float v = 0.f;
        if (ih >= 0 && ih < g.h && iw >= 0 && iw < g.w)
            v = x[(((long long) (nStart + i) * g.c + c0 + cc) * g.h + ih) * g.w + iw];
        col[k] = v;
    }
}

// dx[nStart + i, c0 + cc, ih, iw] = the sum of the col entries whose window tap lands on (ih, iw):
// the transpose of im2col, as a gather in (rr, ss) order. col: as above; dx: (n, c, h, w), written
// (not accumulated) for the chunk's images and the group's channels.
extern "C" __global__ void conv2d_col2im_f32(ConvGeometry g, const float* __restrict__ col, float* __restrict__ dx,
                                             int c0, int cg, int nStart, int nCount) {
    const int pq = g.p * g.q, cols = nCount * pq, hw = g.h * g.w;
    const long long perImage = (long long) cg * hw, total = nCount * perImage;
    GRID_STRIDE(k, total) {
        const int i = (int) (k / perImage), rest = (int) (k - i * perImage);
        const int cc = rest / hw, pix = rest - cc * hw;
        const int ih = pix / g.w, iw = pix - ih * g.w;
        float acc = 0.f;
        for (int rr = 0; rr < g.r; ++rr) {
            const int th = ih + g.padH - rr * g.dilH;           // = op * strideH when a window row lands here
            if (th < 0 || th % g.strideH != 0) continue;
            const int op = th / g.strideH;
            if (op >= g.p) continue;
            for (int ss = 0; ss < g.s; ++ss) {
                const int tw = iw + g.padW - ss * g.dilW;
                if (tw < 0 || tw % g.strideW != 0) continue;
                const int oq = tw / g.strideW;
                if (oq >= g.q) continue;
                acc += col[(long long) ((cc * g.r + rr) * g.s + ss) * cols + i * pq + op * g.q + oq];
            }
        }
        dx[(((long long) (nStart + i) * g.c + c0 + cc) * g.h + ih) * g.w + iw] = acc;
    }
}

// dyT[kk, i * pq + j] = dy[nStart + i, k0 + kk, j]: the group's output channels of a chunk of images
// side by side, so that dw = dyT col^T is one GEMM. dy: (n, k, pq); dyT: (kg, nCount * pq)
extern "C" __global__ void conv2d_gather_dy_f32(const float* __restrict__ dy, float* __restrict__ dyT, int k, int pq,
                                                int k0, int kg, int nStart, int nCount) {
    const int cols = nCount * pq;
    const long long total = (long long) kg * cols;
    GRID_STRIDE(e, total) {
        const int kk = (int) (e / cols), column = (int) (e - (long long) kk * cols);
        const int i = column / pq, j = column - i * pq;
        dyT[e] = dy[((long long) (nStart + i) * k + k0 + kk) * pq + j];
    }
}
