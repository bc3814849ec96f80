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
}
