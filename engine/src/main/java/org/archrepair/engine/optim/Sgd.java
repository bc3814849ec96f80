package org.archrepair.engine.optim;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Gradients;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.SgdSpec;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** torch.optim.SGD: momentum (buffer starts as the first gradient), Nesterov, L2 weight decay, no dampening. */
public final class Sgd extends Optimizer {
    private final Map<Tensor, DeviceBuffer> momentumBuffers = new IdentityHashMap<>();

    public Sgd(List<ParamGroup> groups) {
        super(groups);
    }

    public Sgd(List<Tensor> params, double lr, double momentum, double weightDecay, boolean nesterov) {
        this(List.of(new ParamGroup(params, lr, momentum, weightDecay, nesterov)));
    }

    @Override
    public void step(Gradients grads) {
        for (ParamGroup g : groups) {
            for (Tensor p : g.params) {
                Tensor grad = grads.get(p);
                if (grad == null) continue;
                boolean first = !momentumBuffers.containsKey(p);
                DeviceBuffer buf = g.momentum == 0 ? null
                        : momentumBuffers.computeIfAbsent(p, t -> t.backend().allocateZeroed(DType.F32, t.numel()));
                SgdSpec spec = new SgdSpec((float) g.lr, (float) g.momentum, 0f, (float) g.weightDecay, g.nesterov, first);
                p.backend().sgdStep(spec, p.data(), grad.data(), buf);
            }
        }
    }

    /** The momentum buffer of p as host values (for checkpoints), or null before its first step. */
    public float[] momentum(Tensor p) {
        DeviceBuffer b = momentumBuffers.get(p);
        return b == null ? null : Tensor.wrap(b, p.shape()).toFloatArray();
    }

    /** Restore the momentum buffer of p (resuming from a checkpoint): the next step is not a first step. */
    public void setMomentum(Tensor p, float[] values) {
        if (values.length != p.numel())
            throw new IllegalArgumentException("momentum of " + values.length + " values for a parameter of " + p.numel());
        if (parameters().stream().noneMatch(q -> q == p))
            throw new IllegalArgumentException("not a parameter of this optimizer: " + p);
        momentumBuffers.put(p, p.backend().upload(values));
    }
}
