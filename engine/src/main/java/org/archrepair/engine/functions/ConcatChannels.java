package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.ChannelCopySpec;

import java.util.Arrays;
import java.util.List;

/**
 * y = cat(xs, dim 1); xs[i]: (n, c_i, h, w), y: (n, sum c_i, h, w). dx_i = the slice of dy that x_i filled.
 */
public final class ConcatChannels extends Function {
    private final int[] channels;
    private final int n, hw, total;

    private ConcatChannels(Tensor[] xs, int n, int hw, int total) {
        super(xs);
        this.channels = Arrays.stream(xs).mapToInt(t -> t.dim(1)).toArray();
        this.n = n;
        this.hw = hw;
        this.total = total;
    }

    public static Tensor apply(List<Tensor> inputs) {
        if (inputs.isEmpty()) throw new IllegalArgumentException("concat of no tensors");
        Tensor[] xs = inputs.toArray(new Tensor[0]);
        Tensor first = xs[0];
        int n = first.dim(0), hw = spatial(first), total = 0;
        for (Tensor t : xs) {
            if (t.rank() != first.rank() || t.dim(0) != n || spatial(t) != hw
                    || (t.rank() == 4 && (t.dim(2) != first.dim(2) || t.dim(3) != first.dim(3))))
                throw new IllegalArgumentException("concat: shapes " + Arrays.toString(first.shape()) + " and "
                        + Arrays.toString(t.shape()) + " differ outside dimension 1");
            total += t.dim(1);
        }
        int[] shape = first.shape();
        shape[1] = total;
        Backend be = first.backend();
        Tensor y = Buffers.tensor(be, shape);
        int start = 0;
        for (Tensor t : xs) {
            be.copyChannels(new ChannelCopySpec(n, hw, t.dim(1), 0, total, start, t.dim(1)), t.data(), y.data(), false);
            start += t.dim(1);
        }
        return Tensor.result(y.data(), shape, new ConcatChannels(xs, n, hw, total));
    }

    static int spatial(Tensor t) {
        if (t.rank() < 2) throw new IllegalArgumentException("channel ops need rank >= 2, got " + Arrays.toString(t.shape()));
        int hw = 1;
        for (int d = 2; d < t.rank(); d++) hw *= t.dim(d);
        return hw;
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Tensor[] in = inputs();
        Tensor[] dxs = new Tensor[in.length];
        int start = 0;
        for (int i = 0; i < in.length; i++) {
            if (needsGrad(i)) {
                dxs[i] = Buffers.tensor(dy.backend(), in[i].shape());
                dy.backend().copyChannels(new ChannelCopySpec(n, hw, total, start, channels[i], 0, channels[i]),
                        dy.data(), dxs[i].data(), false);
            }
            start += channels[i];
        }
        return dxs;
    }
}
