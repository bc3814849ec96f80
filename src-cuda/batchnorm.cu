// batchnorm.cu: BatchNorm2d over x: (n, c, hw), PyTorch semantics (biased variance normalizes,
// unbiased variance enters the running estimate). Training mode in three kernels: per-(split,
// channel) moments by Welford's update, merged with Chan's formula through warp shuffles;
// one thread per channel merging the splits in order (statistics, running estimates); then the
// element-wise normalization. The backward pass has the same shape: per-(split, channel) sums of dy
// and dy * xhat, a per-channel finalization (dgamma, dbeta), and the element-wise dx.
// Not here: the choice of the number of splits (the host's LaunchGeometry).
#include "common.cuh"

// Count, mean and sum of squared deviations of a set of values.
struct Moments {
    float n, mean, m2;
};

// Chan et al.'s merge of two sets' moments.
static __device__ __forceinline__ Moments merge(Moments a, Moments b) {
    const float n = a.n + b.n;
    if (n == 0.f) return a;
    const float delta = b.mean - a.mean, fb = b.n / n;
    Moments r;
    r.n = n;
    r.mean = a.mean + delta * fb;
    r.m2 = a.m2 + b.m2 + delta * delta * a.n * fb;
    return r;
}

static __device__ __forceinline__ Moments shfl_down(Moments m, int offset) {
    Moments r;
    r.n = __shfl_down_sync(FULL_MASK, m.n, offset);
    r.mean = __shfl_down_sync(FULL_MASK, m.mean, offset);
    r.m2 = __shfl_down_sync(FULL_MASK, m.m2, offset);
    return r;
}

// The block's moments in thread 0; every thread must call it.
__device__ __forceinline__ Moments block_merge(Moments m) {
    __shared__ float sn[WARP_SIZE], smean[WARP_SIZE], sm2[WARP_SIZE];
    const int lane = threadIdx.x % WARP_SIZE, warp = threadIdx.x / WARP_SIZE;
    for (int offset = WARP_SIZE / 2; offset > 0; offset >>= 1) m = merge(m, shfl_down(m, offset));
    if (lane == 0) {
        sn[warp] = m.n;
        smean[warp] = m.mean;
        sm2[warp] = m.m2;
    }
    __syncthreads();
    if (warp == 0) {
        const bool real = lane < (int) (blockDim.x / WARP_SIZE);
        m.n = real ? sn[lane] : 0.f;
        m.mean = real ? smean[lane] : 0.f;
        m.m2 = real ? sm2[lane] : 0.f;
        for (int offset = WARP_SIZE / 2; offset > 0; offset >>= 1) m = merge(m, shfl_down(m, offset));
    }
    __syncthreads();
    return m;
}

// The part [begin, end) of a channel's m = n * hw values that split `split` of `splits` covers.
static __device__ __forceinline__ void split_range(long long m, int split, int splits, long long* begin, long long* end) {
    const long long per = (m + splits - 1) / splits;
    *begin = per * split;
    *end = *begin + per < m ? *begin + per : m;
}

// partial[ch, split] = (count, mean, m2) of the split's values of channel ch. grid: (splits, c).
// x: (n, c, hw); partial: (c, splits, 3)
extern "C" __global__ void batch_norm_moments_f32(const float* __restrict__ x, int n, int c, int hw, int splits,
                                                  float* __restrict__ partial) {
    const int split = blockIdx.x, ch = blockIdx.y;
    long long begin, end;
    split_range((long long) n * hw, split, splits, &begin, &end);
    Moments t = {0.f, 0.f, 0.f};
    for (long long e = begin + threadIdx.x; e < end; e += blockDim.x) {
        const int i = (int) (e / hw), j = (int) (e - (long long) i * hw);
        const float v = x[((long long) i * c + ch) * hw + j];
        t.n += 1.f;
        const float d = v - t.mean;
        t.mean += d / t.n;
        t.m2 += d * (v - t.mean);
    }
    t = block_merge(t);
    if (threadIdx.x == 0) {
        float* o = partial + ((long long) ch * splits + split) * 3;
        o[0] = t.n;
        o[1] = t.mean;
        o[2] = t.m2;
    }
}

// Per channel: merge the splits in order, saveMean = mean, saveInvStd = 1 / sqrt(m2 / m + eps), and
// (when runningMean is not null) the running estimates move by momentum towards mean and the
// unbiased variance m2 / (m - 1). partial: (c, splits, 3); the rest: (c)
extern "C" __global__ void batch_norm_statistics_f32(const float* __restrict__ partial, int c, int splits, float m,
                                                     float eps, float momentum, float* runningMean, float* runningVar,
                                                     float* __restrict__ saveMean, float* __restrict__ saveInvStd) {
    GRID_STRIDE(k, c) {
        const int ch = (int) k;
        Moments t = {0.f, 0.f, 0.f};
        for (int s = 0; s < splits; ++s) {
            const float* p = partial + ((long long) ch * splits + s) * 3;
            const Moments part = {p[0], p[1], p[2]};
            t = merge(t, part);
        }
        saveMean[ch] = t.mean;
        saveInvStd[ch] = 1.f / sqrtf(t.m2 / m + eps);
        if (runningMean != nullptr) {
            runningMean[ch] = (1.f - momentum) * runningMean[ch] + momentum * t.mean;
            runningVar[ch] = (1.f - momentum) * runningVar[ch] + momentum * (t.m2 / (m - 1.f));
        }
    }
}

// y = (x - mean) invStd gamma + beta; gamma, beta null means 1 and 0. x, y: (n, c, hw); the rest: (c)
extern "C" __global__ void batch_norm_normalize_f32(const float* __restrict__ x, float* __restrict__ y, int n, int c,
                                                    int hw, const float* __restrict__ mean,
                                                    const float* __restrict__ invStd, const float* __restrict__ gamma,
                                                    const float* __restrict__ beta) {
    const long long total = (long long) n * c * hw;
    GRID_STRIDE(e, total) {
        const int ch = (int) ((e / hw) % c);
        const float g = gamma != nullptr ? gamma[ch] : 1.f, b = beta != nullptr ? beta[ch] : 0.f;
        y[e] = (x[e] - mean[ch]) * invStd[ch] * g + b;
    }
}

// Eval mode: y = (x - runningMean) / sqrt(runningVar + eps) gamma + beta. x, y: (n, c, hw); the rest: (c)
extern "C" __global__ void batch_norm_eval_f32(const float* __restrict__ x, float* __restrict__ y, int n, int c, int hw,
                                               const float* __restrict__ runningMean,
                                               const float* __restrict__ runningVar, const float* __restrict__ gamma,
                                               const float* __restrict__ beta, float eps) {
    const long long total = (long long) n * c * hw;
    GRID_STRIDE(e, total) {
        const int ch = (int) ((e / hw) % c);
        const float g = gamma != nullptr ? gamma[ch] : 1.f, b = beta != nullptr ? beta[ch] : 0.f;
        y[e] = (x[e] - runningMean[ch]) * (1.f / sqrtf(runningVar[ch] + eps)) * g + b;
    }
}

// partial[ch, split] = (sum dy, sum dy xhat) over the split's values, xhat = (x - mean) invStd.
// grid: (splits, c). x, dy: (n, c, hw); mean, invStd: (c); partial: (c, splits, 2)
extern "C" __global__ void batch_norm_backward_sums_f32(const float* __restrict__ x, const float* __restrict__ dy,
                                                        const float* __restrict__ mean, const float* __restrict__ invStd,
                                                        int n, int c, int hw, int splits, float* __restrict__ partial) {
    const int split = blockIdx.x, ch = blockIdx.y;
    long long begin, end;
    split_range((long long) n * hw, split, splits, &begin, &end);
    const float mu = mean[ch], is = invStd[ch];
    float sumDy = 0.f, sumDyXhat = 0.f;
    for (long long e = begin + threadIdx.x; e < end; e += blockDim.x) {
        const int i = (int) (e / hw), j = (int) (e - (long long) i * hw);
        const long long idx = ((long long) i * c + ch) * hw + j;
        const float d = dy[idx];
        sumDy += d;
        sumDyXhat += d * ((x[idx] - mu) * is);
    }
    sumDy = block_sum(sumDy);
    sumDyXhat = block_sum(sumDyXhat);
    if (threadIdx.x == 0) {
        float* o = partial + ((long long) ch * splits + split) * 2;
        o[0] = sumDy;
        o[1] = sumDyXhat;
    }
}

// Per channel: sums[ch] = (sum dy, sum dy xhat) over the splits in order (double), and dbeta,
// dgamma when not null. partial: (c, splits, 2); sums: (c, 2); dgamma, dbeta: (c)
extern "C" __global__ void batch_norm_backward_reduce_f32(const float* __restrict__ partial, int c, int splits,
                                                          float* __restrict__ sums, float* dgamma, float* dbeta) {
    GRID_STRIDE(k, c) {
        const int ch = (int) k;
        double sumDy = 0.0, sumDyXhat = 0.0;
        for (int s = 0; s < splits; ++s) {
            const float* p = partial + ((long long) ch * splits + s) * 2;
            sumDy += p[0];
            sumDyXhat += p[1];
        }
        sums[2 * ch] = (float) sumDy;
        sums[2 * ch + 1] = (float) sumDyXhat;
        if (dbeta != nullptr) dbeta[ch] = (float) sumDy;
        if (dgamma != nullptr) dgamma[ch] = (float) sumDyXhat;
    }
}

// dx = gamma invStd (dy - sum dy / m - xhat sum(dy xhat) / m); gamma null means 1.
// x, dy, dx: (n, c, hw); mean, invStd, gamma: (c); sums: (c, 2)
extern "C" __global__ void batch_norm_backward_data_f32(const float* __restrict__ x, const float* __restrict__ dy,
                                                        const float* __restrict__ mean, const float* __restrict__ invStd,
                                                        const float* __restrict__ gamma, const float* __restrict__ sums,
                                                        int n, int c, int hw, float m, float* __restrict__ dx) {
    const long long total = (long long) n * c * hw;
    GRID_STRIDE(e, total) {
        const int ch = (int) ((e / hw) % c);
        const float is = invStd[ch], k = (gamma != nullptr ? gamma[ch] : 1.f) * is;
        const float meanDy = sums[2 * ch] / m, meanDyXhat = sums[2 * ch + 1] / m;
        const float xhat = (x[e] - mean[ch]) * is;
        dx[e] = k * (dy[e] - meanDy - xhat * meanDyXhat);
    }
}
