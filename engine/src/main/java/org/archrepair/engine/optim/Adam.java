package org.archrepair.engine.optim;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Gradients;
import org.archrepair.kernels.AdamSpec;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** torch.optim.Adam with L2 weight decay (the DARTS architecture optimizer: lr 6e-4, betas (0.5, 0.999), wd 1e-3). */
public final class Adam extends Optimizer {
    private final float beta1, beta2, eps;
    private final Map<Tensor, State> state = new IdentityHashMap<>();

    private static final class State {
        final DeviceBuffer m, v;
        int step;

        State(Tensor p) {
            m = p.backend().allocateZeroed(DType.F32, p.numel());
            v = p.backend().allocateZeroed(DType.F32, p.numel());
        }
    }

    /** The first and second moments of one parameter and its step count, on the host (checkpoints). */
    public record Moments(float[] m, float[] v, int step) {
    }

    public Adam(List<ParamGroup> groups, double beta1, double beta2, double eps) {
        super(groups);
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
    }

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double weightDecay) {
        this(List.of(new ParamGroup(params, lr, weightDecay)), beta1, beta2, 1e-8);
    }

    @Override
    public void step(Gradients grads) {
        for (ParamGroup g : groups) {
            for (Tensor p : g.params) {
                Tensor grad = grads.get(p);
                if (grad == null) continue;
                State s = state.computeIfAbsent(p, State::new);
                s.step++;
                AdamSpec spec = new AdamSpec((float) g.lr, beta1, beta2, eps, (float) g.weightDecay, s.step);
                p.backend().adamStep(spec, p.data(), grad.data(), s.m, s.v);
            }
        }
    }

    /** The moments of p, or null before its first step. */
    public Moments moments(Tensor p) {
        State s = state.get(p);
        if (s == null) return null;
        return new Moments(Tensor.wrap(s.m, p.shape()).toFloatArray(), Tensor.wrap(s.v, p.shape()).toFloatArray(), s.step);
    }

    /** Restore the moments of p (resuming): the next step continues from them. */
    public void setMoments(Tensor p, Moments moments) {
        if (moments.m().length != p.numel() || moments.v().length != p.numel() || moments.step() < 1)
            throw new IllegalArgumentException("Adam moments of " + moments.m().length + "/" + moments.v().length
                    + " values, step " + moments.step() + ", for a parameter of " + p.numel());
        if (parameters().stream().noneMatch(q -> q == p))
            throw new IllegalArgumentException("not a parameter of this optimizer: " + p);
        State s = new State(p);
        p.backend().copy(p.backend().upload(moments.m()), 0, s.m, 0, p.numel());
        p.backend().copy(p.backend().upload(moments.v()), 0, s.v, 0, p.numel());
        s.step = moments.step();
        state.put(p, s);
    }
}
