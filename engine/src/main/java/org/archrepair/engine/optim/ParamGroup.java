package org.archrepair.engine.optim;

import org.archrepair.engine.Tensor;

import java.util.List;

/**
 * Parameters that share hyper-parameters, as a torch.optim param group. {@link #lr} changes with
 * the schedule; {@link #baseLr} is where the schedule starts.
 */
public final class ParamGroup {
    public final List<Tensor> params;
    public final double baseLr, momentum, weightDecay;
    public final boolean nesterov;
    double lr;

    public ParamGroup(List<Tensor> params, double lr, double momentum, double weightDecay, boolean nesterov) {
        for (Tensor p : params)
            if (!p.requiresGrad()) throw new IllegalArgumentException("optimizer given a frozen tensor " + p);
        this.params = List.copyOf(params);
        this.baseLr = lr;
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    public ParamGroup(List<Tensor> params, double lr, double weightDecay) {
        this(params, lr, 0, weightDecay, false);
    }

    public double lr() {
        return lr;
    }
}
