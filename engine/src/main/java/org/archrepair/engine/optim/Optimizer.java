package org.archrepair.engine.optim;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Gradients;

import java.util.ArrayList;
import java.util.List;

/**
 * Updates parameters in place from a {@link Gradients} map. A parameter without a gradient is
 * skipped (its state does not advance), as in torch.optim.
 */
public abstract class Optimizer {
    protected final List<ParamGroup> groups;

    protected Optimizer(List<ParamGroup> groups) {
        if (groups.isEmpty()) throw new IllegalArgumentException("optimizer with no parameter groups");
        this.groups = List.copyOf(groups);
    }

    public abstract void step(Gradients grads);

    public List<ParamGroup> groups() {
        return groups;
    }

    /** Every parameter of every group. */
    public List<Tensor> parameters() {
        List<Tensor> all = new ArrayList<>();
        groups.forEach(g -> all.addAll(g.params));
        return all;
    }

    /** Set each group's learning rate from the schedule at a (possibly fractional) epoch. */
    public void applySchedule(LrSchedule schedule, double epoch) {
        for (ParamGroup g : groups) g.lr = schedule.lr(g.baseLr, epoch);
    }

    public void setLr(double lr) {
        for (ParamGroup g : groups) g.lr = lr;
    }
}
