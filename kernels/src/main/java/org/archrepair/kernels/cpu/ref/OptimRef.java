package org.archrepair.kernels.cpu.ref;

import org.archrepair.kernels.AdamSpec;
import org.archrepair.kernels.SgdSpec;

/** Scalar reference optimizer steps, in torch.optim's order of operations. */
public final class OptimRef {
    private OptimRef() {
    }

    public static void sgd(SgdSpec s, float[] w, float[] g, float[] buf) {
        float mom = s.momentum(), wd = s.weightDecay(), lr = s.lr(), damp = 1f - s.dampening();
        for (int i = 0; i < w.length; i++) {
            float d = g[i];
            if (wd != 0f) d += wd * w[i];
            if (mom != 0f) {
                buf[i] = s.firstStep() ? d : mom * buf[i] + damp * d;
                d = s.nesterov() ? d + mom * buf[i] : buf[i];
            }
            w[i] -= lr * d;
        }
    }

    public static void adam(AdamSpec s, float[] w, float[] g, float[] m, float[] v) {
        float b1 = s.beta1(), b2 = s.beta2(), wd = s.weightDecay();
        double bc1 = 1 - Math.pow(b1, s.step()), bc2 = 1 - Math.pow(b2, s.step());
        float stepSize = (float) (s.lr() / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        for (int i = 0; i < w.length; i++) {
            float d = g[i];
            if (wd != 0f) d += wd * w[i];
            m[i] = b1 * m[i] + (1f - b1) * d;
            v[i] = b2 * v[i] + (1f - b2) * d * d;
            float denom = (float) Math.sqrt(v[i]) / bc2Sqrt + s.eps();
            w[i] -= stepSize * m[i] / denom;
        }
    }
}
