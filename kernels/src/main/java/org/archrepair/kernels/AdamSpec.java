package org.archrepair.kernels;

/**
 * One step of Adam as torch.optim.Adam (L2 weight decay added to the gradient, not AdamW):
 * {@code g += wd w; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * w -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}, with step t starting at 1.
 */
public record AdamSpec(float lr, float beta1, float beta2, float eps, float weightDecay, int step) {
    public AdamSpec {
        if (step < 1) throw new IllegalArgumentException("Adam step counts from 1, got " + step);
    }
}
