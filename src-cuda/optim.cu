// optim.cu: in-place optimizer steps, in torch.optim's order of operations (and OptimRef's):
// SGD with momentum, dampening, Nesterov and L2 weight decay; Adam with bias correction (the host
// computes lr / (1 - beta1^t) and sqrt(1 - beta2^t) in double, as the reference does).
#include "common.cuh"

// d = g + wd w; buf = first ? d : momentum buf + (1 - dampening) d; d = nesterov ? d + momentum buf : buf;
// w -= lr d. w, g, buf: (n); buf unused when momentum == 0.
extern "C" __global__ void sgd_step_f32(float* __restrict__ w, const float* __restrict__ g, float* __restrict__ buf,
                                        int n, float lr, float momentum, float oneMinusDampening,
                                        float weightDecay, int nesterov, int firstStep) {
    GRID_STRIDE(k, n) {
        const int i = (int) k;
        float d = g[i];
        if (weightDecay != 0.f) d += weightDecay * w[i];
        if (momentum != 0.f) {
            const float b = firstStep ? d : momentum * buf[i] + oneMinusDampening * d;
            buf[i] = b;
            d = nesterov ? d + momentum * b : b;
        }
        w[i] -= lr * d;
    }
}

// d = g + wd w; m = b1 m + (1 - b1) d; v = b2 v + (1 - b2) d^2; w -= stepSize m / (sqrt(v) / bc2Sqrt + eps).
// w, g, m, v: (n)
extern "C" __global__ void adam_step_f32(float* __restrict__ w, const float* __restrict__ g, float* __restrict__ m,
                                         float* __restrict__ v, int n, float beta1, float beta2, float eps,
                                         float weightDecay, float stepSize, float bc2Sqrt) {
    GRID_STRIDE(k, n) {
        const int i = (int) k;
        float d = g[i];
        if (weightDecay != 0.f) d += weightDecay * w[i];
        const float mi = beta1 * m[i] + (1.f - beta1) * d;
        const float vi = beta2 * v[i] + (1.f - beta2) * d * d;
        m[i] = mi;
        v[i] = vi;
        w[i] -= stepSize * mi / (sqrtf(vi) / bc2Sqrt + eps);
    }
}
