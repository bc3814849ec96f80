package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.DeviceBuffer;

import java.util.Arrays;
import java.util.List;

/**
 * The DARTS mixed operation's sum: y = sum_o w_o x_o, with x_o the outputs of the candidate ops and
 * w = softmax(alpha) computed upstream. dx_o = w_o dy; dw_o = sum(x_o dy).
 */
public final class MixedSum extends Function {
    private final int k;

    private MixedSum(Tensor[] inputs, int k) {
        super(inputs);
        this.k = k;
    }

    /** xs: k tensors of one shape; weights: (k). */
    public static Tensor apply(List<Tensor> xs, Tensor weights) {
        int k = xs.size();
        if (k == 0) throw new IllegalArgumentException("mixed sum of no tensors");
        if (weights.rank() != 1 || weights.dim(0) != k)
            throw new IllegalArgumentException("mixed sum: " + k + " inputs need weights of shape [" + k + "], got "
                    + Arrays.toString(weights.shape()));
        int[] shape = xs.get(0).shape();
        for (Tensor t : xs)
            if (!Arrays.equals(t.shape(), shape))
                throw new IllegalArgumentException("mixed sum: input shapes " + Arrays.toString(shape) + " and "
                        + Arrays.toString(t.shape()) + " differ");
        Tensor[] inputs = xs.toArray(new Tensor[k + 1]);
        inputs[k] = weights;
        Backend be = weights.backend();
        Tensor y = Buffers.tensor(be, shape);
        be.mixedSumForward(buffers(inputs, k), weights.data(), y.data());
        return Tensor.result(y.data(), shape, new MixedSum(inputs, k));
    }

    private static DeviceBuffer[] buffers(Tensor[] ts, int k) {
        DeviceBuffer[] out = new DeviceBuffer[k];
        for (int i = 0; i < k; i++) out[i] = ts[i].data();
        return out;
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Tensor[] in = inputs();
        Backend be = dy.backend();
        Tensor[] grads = new Tensor[k + 1];
        DeviceBuffer[] dxs = new DeviceBuffer[k];
        for (int i = 0; i < k; i++) {
            if (!needsGrad(i)) continue;
            grads[i] = Buffers.tensor(be, dy.shape());
            dxs[i] = grads[i].data();
        }
        if (needsGrad(k)) grads[k] = Buffers.tensor(be, k);
        be.mixedSumBackward(buffers(in, k), in[k].data(), dy.data(), dxs, grads[k] == null ? null : grads[k].data());
        return grads;
    }
}
