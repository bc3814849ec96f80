package org.archrepair.repair.search;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.Module;

/**
 * The option-A shortcut of He et al.'s CIFAR ResNets as a module: x[:, :, ::stride, ::stride]
 * zero-padded by pad channels on each side. No parameters.
 */
public final class OptionAShortcut extends Module {
    private final int stride, pad;

    public OptionAShortcut(int stride, int pad) {
        this.stride = stride;
        this.pad = pad;
    }

    @Override
    protected Tensor compute(Tensor x) {
        return Ops.padChannels(Ops.subsample(x, stride), pad, pad);
    }

    @Override
    public String toString() {
        return "OptionAShortcut(stride " + stride + ", pad " + pad + ")";
    }
}
