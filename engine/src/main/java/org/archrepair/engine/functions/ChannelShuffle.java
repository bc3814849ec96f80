package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;

/**
 * y = x with channels viewed as (groups, c/groups) and transposed: y[:, j groups + g] = x[:, g (c/groups) + j].
 * dx = dy shuffled back (the shuffle with c/groups groups is the inverse).
 */
public final class ChannelShuffle extends Function {
    private final int n, c, hw, groups;

    private ChannelShuffle(Tensor x, int groups) {
        super(x);
        this.n = x.dim(0);
        this.c = x.dim(1);
        this.hw = ConcatChannels.spatial(x);
        this.groups = groups;
    }

    public static Tensor apply(Tensor x, int groups) {
        ChannelShuffle fn = new ChannelShuffle(x, groups);
        if (fn.c % groups != 0)
            throw new IllegalArgumentException("channel shuffle: " + groups + " groups do not divide " + fn.c + " channels");
        Backend be = x.backend();
        Tensor y = Buffers.tensor(be, x.shape());
        be.channelShuffle(fn.n, fn.c, fn.hw, groups, x.data(), y.data());
        return Tensor.result(y.data(), y.shape(), fn);
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Tensor dx = Buffers.tensor(dy.backend(), dy.shape());
        dy.backend().channelShuffle(n, c, hw, c / groups, dy.data(), dx.data());
        return new Tensor[]{dx};
    }
}
