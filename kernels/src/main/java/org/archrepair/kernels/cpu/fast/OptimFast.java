package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;

import org.archrepair.kernels.AdamSpec;
import org.archrepair.kernels.SgdSpec;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;

/**
 * SGD and Adam steps, parallel and vectorized, bitwise the scalar reference: the same operations
 * in the same order (separate multiply and add, IEEE square root), so training runs identically on
 * the reference and the fast backend as far as the optimizer is concerned.
 *
 * <p>What this is not: a multi-tensor (foreach) optimizer; the engine calls it per parameter.
 * Buffers: w, g, buf, m, v: (len).
 */
public final class OptimFast {
    private OptimFast() {
    }

    /**
     * torch.optim.SGD: d = g + wd w; buf = first ? d : mom buf + (1 - damp) d; d = nesterov ? d + mom buf : buf;
     * w -= lr d. w, g, buf: (len); buf may be null when momentum is 0.
     */
    public static void sgd(Parallel par, SgdSpec s, float[] w, float[] g, float[] buf) {
        float mom = s.momentum(), wd = s.weightDecay(), lr = s.lr(), damp = 1f - s.dampening();
        boolean first = s.firstStep(), nesterov = s.nesterov();
        par.forRange(w.length, ElementwiseFast.GRAIN, (lo, hi) -> {
            int i = lo;
            for (; i + L <= hi; i += L) {
                FloatVector wv = FloatVector.fromArray(F, w, i), d = FloatVector.fromArray(F, g, i);
                if (wd != 0f) d = d.add(wv.mul(wd));
                if (mom != 0f) {
                    FloatVector b = first ? d : FloatVector.fromArray(F, buf, i).mul(mom).add(d.mul(damp));
                    b.intoArray(buf, i);
                    d = nesterov ? d.add(b.mul(mom)) : b;
                }
                wv.sub(d.mul(lr)).intoArray(w, i);
            }
            for (; i < hi; i++) {
                float d = g[i];
                if (wd != 0f) d += wd * w[i];
                if (mom != 0f) {
                    buf[i] = first ? d : mom * buf[i] + damp * d;
                    d = nesterov ? d + mom * buf[i] : buf[i];
                }
                w[i] -= lr * d;
            }
        });
    }

    /** torch.optim.Adam (L2 decay into the gradient), bias corrections as in the reference. w, g, m, v: (len). */
    public static void adam(Parallel par, AdamSpec s, float[] w, float[] g, float[] m, float[] v) {
        float b1 = s.beta1(), b2 = s.beta2(), wd = s.weightDecay(), eps = s.eps();
        double bc1 = 1 - Math.pow(b1, s.step()), bc2 = 1 - Math.pow(b2, s.step());
        float stepSize = (float) (s.lr() / bc1), bc2Sqrt = (float) Math.sqrt(bc2);
        float c1 = 1f - b1, c2 = 1f - b2;
        par.forRange(w.length, ElementwiseFast.GRAIN, (lo, hi) -> {
            int i = lo;
            for (; i + L <= hi; i += L) {
                FloatVector wv = FloatVector.fromArray(F, w, i), d = FloatVector.fromArray(F, g, i);
                if (wd != 0f) d = d.add(wv.mul(wd));
                FloatVector mv = FloatVector.fromArray(F, m, i).mul(b1).add(d.mul(c1));
                FloatVector vv = FloatVector.fromArray(F, v, i).mul(b2).add(d.mul(c2).mul(d));
                mv.intoArray(m, i);
                vv.intoArray(v, i);
                FloatVector denom = vv.sqrt().div(bc2Sqrt).add(eps);
                wv.sub(mv.mul(stepSize).div(denom)).intoArray(w, i);
            }
            for (; i < hi; i++) {
                float d = g[i];
                if (wd != 0f) d += wd * w[i];
                m[i] = b1 * m[i] + c1 * d;
                v[i] = b2 * v[i] + c2 * d * d;
                float denom = (float) Math.sqrt(v[i]) / bc2Sqrt + eps;
                w[i] -= stepSize * m[i] / denom;
            }
        });
    }
}
