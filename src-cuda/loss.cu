// loss.cu: row-wise softmax forward and backward, and the mean softmax cross-entropy. One warp per
// row (classes are 10 to 1000: a row fits a warp's strided loop), butterfly shuffles so every lane
// has the row's max and sum. The mean over rows is taken by sum_partials_f32 of reduce.cu from the
// per-row losses, in a fixed order. Labels outside [0, cols) never index memory: the row's loss
// becomes NaN and bit 0 of *errors is set, which the host checks at its next synchronization.
#include "common.cuh"

#define FOR_EACH_ROW(row, rows)                                                                          \
    for (long long row = ((long long) blockIdx.x * blockDim.x + threadIdx.x) / WARP_SIZE; row < (rows); \
         row += (long long) gridDim.x * blockDim.x / WARP_SIZE)

// y = exp(x - max) / sum exp(x - max) per row. x, y: (rows, cols)
extern "C" __global__ void softmax_forward_f32(const float* __restrict__ x, float* __restrict__ y, int rows, int cols) {
    const int lane = threadIdx.x % WARP_SIZE;
    FOR_EACH_ROW(row, rows) {
        const float* xr = x + row * cols;
        float* yr = y + row * cols;
        float mx = -INFINITY;
        for (int j = lane; j < cols; j += WARP_SIZE) mx = fmaxf(mx, xr[j]);
        mx = warp_all_max(mx);
        float sum = 0.f;
        for (int j = lane; j < cols; j += WARP_SIZE) {
            const float e = expf(xr[j] - mx);
            yr[j] = e;
            sum += e;
        }
        const float inv = 1.f / warp_all_sum(sum);
        for (int j = lane; j < cols; j += WARP_SIZE) yr[j] *= inv;
    }
}

// dx = y (dy - sum_j dy_j y_j) per row. y, dy, dx: (rows, cols)
extern "C" __global__ void softmax_backward_f32(const float* __restrict__ y, const float* __restrict__ dy,
                                                float* __restrict__ dx, int rows, int cols) {
    const int lane = threadIdx.x % WARP_SIZE;
    FOR_EACH_ROW(row, rows) {
        const float* yr = y + row * cols;
        const float* dyr = dy + row * cols;
        float dot = 0.f;
        for (int j = lane; j < cols; j += WARP_SIZE) dot += dyr[j] * yr[j];
        dot = warp_all_sum(dot);
        for (int j = lane; j < cols; j += WARP_SIZE) dx[row * cols + j] = yr[j] * (dyr[j] - dot);
    }
}

// probs = softmax(logits) per row, rowLoss[r] = log sum exp(logits_r - max) - (logits_r[label] - max).
// logits, probs: (rows, cols); labels, rowLoss: (rows); errors: (1)
extern "C" __global__ void softmax_cross_entropy_forward_f32(const float* __restrict__ logits,
                                                             const int* __restrict__ labels, float* __restrict__ probs,
                                                             float* __restrict__ rowLoss, int rows, int cols,
                                                             int* errors) {
    const int lane = threadIdx.x % WARP_SIZE;
    FOR_EACH_ROW(row, rows) {
        const float* xr = logits + row * cols;
        float mx = -INFINITY;
        for (int j = lane; j < cols; j += WARP_SIZE) mx = fmaxf(mx, xr[j]);
        mx = warp_all_max(mx);
        float sum = 0.f;
        for (int j = lane; j < cols; j += WARP_SIZE) sum += expf(xr[j] - mx);
        const float logSum = logf(warp_all_sum(sum));
        for (int j = lane; j < cols; j += WARP_SIZE) probs[row * cols + j] = expf(xr[j] - mx - logSum);
        if (lane == 0) {
            const int label = labels[row];
            if (label < 0 || label >= cols) {
                atomicOr(errors, 1);
                rowLoss[row] = NAN;
            } else {
                rowLoss[row] = logSum - (xr[label] - mx);
            }
        }
    }
}

// dlogits = dloss[0] / rows (probs - onehot(labels)). probs, dlogits: (rows, cols); labels: (rows); dloss: (1)
extern "C" __global__ void softmax_cross_entropy_backward_f32(const float* __restrict__ probs,
                                                              const int* __restrict__ labels,
                                                              const float* __restrict__ dloss,
                                                              float* __restrict__ dlogits, int rows, int cols) {
    const float scale = dloss[0] / (float) rows;
    const long long total = (long long) rows * cols;
    GRID_STRIDE(e, total) {
        const int row = (int) (e / cols), j = (int) (e - (long long) row * cols);
        dlogits[e] = scale * (probs[e] - (j == labels[row] ? 1.f : 0.f));
    }
}
