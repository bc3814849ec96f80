package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.ChannelCopySpec;

/** y = x[:, start : start + count]; dx = zeros with dy written into that slice. */
public final class NarrowChannels extends Function {
    private final int[] xShape;
    private final int start, count, n, hw;

    private NarrowChannels(Tensor x, int start, int count) {
        super(x);
        this.xShape = x.shape();
        this.start = start;
        this.count = count;
        this.n = x.dim(0);
        this.hw = ConcatChannels.spatial(x);
    }

    public static Tensor apply(Tensor x, int start, int count) {
        NarrowChannels fn = new NarrowChannels(x, start, count);
        int[] shape = x.shape();
        shape[1] = count;
        Backend be = x.backend();
        Tensor y = Buffers.tensor(be, shape);
        be.copyChannels(new ChannelCopySpec(fn.n, fn.hw, x.dim(1), start, count, 0, count), x.data(), y.data(), false);
        return Tensor.result(y.data(), shape, fn);
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Tensor dx = Buffers.zeros(dy.backend(), xShape);          // copyChannels writes only the slice
        dy.backend().copyChannels(new ChannelCopySpec(n, hw, count, 0, xShape[1], start, count), dy.data(), dx.data(),
                false);
        return new Tensor[]{dx};
    }
}
