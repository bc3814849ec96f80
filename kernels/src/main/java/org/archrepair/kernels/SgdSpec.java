package org.archrepair.kernels;

/**
 * One step of SGD exactly as torch.optim.SGD: {@code g += wd w; buf = momentum buf + (1 - dampening) g
 * (buf = g on the first step); g = nesterov ? g + momentum buf : buf; w -= lr g}.
 */
public record SgdSpec(float lr, float momentum, float dampening, float weightDecay, boolean nesterov,
                      boolean firstStep) {
    public SgdSpec {
        if (nesterov && (momentum <= 0f || dampening != 0f))
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0 and zero dampening");
    }
}
