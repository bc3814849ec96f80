package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;

import java.util.Arrays;

/**
 * loss = -(1/n) sum_i log softmax(logits_i)[label_i]; logits: (n, classes), labels: int32 (n), loss: ().
 * dlogits = dloss (softmax(logits) - onehot(labels)) / n.
 */
public final class SoftmaxCrossEntropy extends Function {
    private final Tensor labels;
    private final DeviceBuffer probs;
    private final int rows, cols;

    private SoftmaxCrossEntropy(Tensor logits, Tensor labels, DeviceBuffer probs) {
        super(logits);
        this.labels = labels;
        this.probs = probs;
        this.rows = logits.dim(0);
        this.cols = logits.dim(1);
    }

    public static Tensor apply(Tensor logits, Tensor labels) {
        Buffers.requireRank(logits, 2, "cross_entropy", "logits");
        if (labels.dtype() != DType.I32 || labels.rank() != 1 || labels.dim(0) != logits.dim(0))
            throw new IllegalArgumentException("cross_entropy: labels must be int32 of shape [" + logits.dim(0)
                    + "], got " + labels.dtype() + " " + Arrays.toString(labels.shape()));
        Backend be = logits.backend();
        DeviceBuffer probs = Buffers.floats(be, logits.numel());
        DeviceBuffer loss = Buffers.floats(be, 1);
        be.softmaxCrossEntropyForward(logits.dim(0), logits.dim(1), logits.data(), labels.data(), probs, loss);
        return Tensor.result(loss, new int[0], new SoftmaxCrossEntropy(logits, labels, probs));
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Tensor dlogits = Buffers.tensor(dy.backend(), rows, cols);
        dy.backend().softmaxCrossEntropyBackward(rows, cols, probs, labels.data(), dy.data(), dlogits.data());
        return new Tensor[]{dlogits};
    }
}
