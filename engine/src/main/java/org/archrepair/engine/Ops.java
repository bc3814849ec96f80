package org.archrepair.engine;

import org.archrepair.engine.functions.Affine;
import org.archrepair.engine.functions.Arithmetic;
import org.archrepair.engine.functions.AvgPool2d;
import org.archrepair.engine.functions.BatchNorm;
import org.archrepair.engine.functions.BatchNormEval;
import org.archrepair.engine.functions.ChannelShuffle;
import org.archrepair.engine.functions.ConcatChannels;
import org.archrepair.engine.functions.Conv2d;
import org.archrepair.engine.functions.Exp;
import org.archrepair.engine.functions.GlobalAvgPool;
import org.archrepair.engine.functions.Linear;
import org.archrepair.engine.functions.Log;
import org.archrepair.engine.functions.MatMul;
import org.archrepair.engine.functions.MaxPool2d;
import org.archrepair.engine.functions.MixedSum;
import org.archrepair.engine.functions.NarrowChannels;
import org.archrepair.engine.functions.Relu;
import org.archrepair.engine.functions.Reshape;
import org.archrepair.engine.functions.Softmax;
import org.archrepair.engine.functions.SoftmaxCrossEntropy;
import org.archrepair.engine.functions.SumTo;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.DType;

import java.util.Arrays;
import java.util.List;

/**
 * Every tensor operation by name: the differentiable functions of {@code engine.functions} and a few
 * compositions of them (tier 3: no backward of their own). Shapes follow PyTorch.
 */
public final class Ops {
    private Ops() {
    }

    // ---------------------------------------------------------------- arithmetic

    public static Tensor add(Tensor a, Tensor b) {
        return Arithmetic.apply(BinaryOp.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return Arithmetic.apply(BinaryOp.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return Arithmetic.apply(BinaryOp.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return Arithmetic.apply(BinaryOp.DIV, a, b);
    }

    /** a x + b for scalars a, b. */
    public static Tensor affine(Tensor x, float a, float b) {
        return Affine.apply(x, a, b);
    }

    public static Tensor relu(Tensor x) {
        return Relu.apply(x);
    }

    /** |x| = relu(x) + relu(-x): exact (one term is 0), with the subgradient 0 at 0. */
    public static Tensor abs(Tensor x) {
        return add(relu(x), relu(affine(x, -1f, 0f)));
    }

    public static Tensor exp(Tensor x) {
        return Exp.apply(x);
    }

    public static Tensor log(Tensor x) {
        return Log.apply(x);
    }

    // ---------------------------------------------------------------- reductions and shapes

    /** Sum down to shape (same rank, 1 where summed). */
    public static Tensor sumTo(Tensor x, int... shape) {
        return SumTo.apply(x, shape);
    }

    /** Sum of all elements, as a scalar (shape []). */
    public static Tensor sum(Tensor x) {
        int[] ones = new int[x.rank()];
        Arrays.fill(ones, 1);
        return reshape(sumTo(x, ones));
    }

    public static Tensor mean(Tensor x) {
        return affine(sum(x), 1f / x.numel(), 0f);
    }

    public static Tensor reshape(Tensor x, int... shape) {
        return Reshape.apply(x, shape);
    }

    /** (n, ...) to (n, rest). */
    public static Tensor flatten(Tensor x) {
        return reshape(x, x.dim(0), -1);
    }

    // ---------------------------------------------------------------- dense layers

    public static Tensor matmul(Tensor a, Tensor b) {
        return MatMul.apply(a, b);
    }

    /** x W^T + b; bias may be null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return Linear.apply(x, weight, bias);
    }

    public static Tensor conv2d(Tensor x, Tensor weight, int stride, int padding, int dilation, int groups) {
        return Conv2d.apply(x, weight, stride, padding, dilation, groups);
    }

    /**
     * Every example's own weight gradient of a conv (x, dy of one forward/backward): (n, k, c/groups,
     * r, s). A constant, not recorded; see {@link Conv2d#weightGradPerExample}.
     */
    public static Tensor conv2dWeightGradPerExample(Tensor x, Tensor dy, int kernel, int stride, int padding,
                                                    int dilation, int groups) {
        return Conv2d.weightGradPerExample(x, dy, kernel, stride, padding, dilation, groups);
    }

    // ---------------------------------------------------------------- pooling

    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return MaxPool2d.apply(x, kernel, stride, padding);
    }

    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return AvgPool2d.apply(x, kernel, stride, padding);
    }

    /** (n, c, h, w) to (n, c). */
    public static Tensor globalAvgPool(Tensor x) {
        return GlobalAvgPool.apply(x);
    }

    /** x[:, :, ::stride, ::stride] (an average pool of kernel 1). */
    public static Tensor subsample(Tensor x, int stride) {
        return AvgPool2d.apply(x, 1, stride, 0);
    }

    // ---------------------------------------------------------------- normalization and loss

    public static Tensor batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                       float eps, float momentum) {
        return BatchNorm.apply(x, gamma, beta, runningMean, runningVar, eps, momentum);
    }

    public static Tensor batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                      float eps) {
        return BatchNormEval.apply(x, gamma, beta, runningMean, runningVar, eps);
    }

    /** Mean softmax cross-entropy of logits (n, classes) against int32 labels (n). */
    public static Tensor crossEntropy(Tensor logits, Tensor labels) {
        return SoftmaxCrossEntropy.apply(logits, labels);
    }

    /** Softmax over the last dimension. */
    public static Tensor softmax(Tensor x) {
        return Softmax.apply(x);
    }

    // ---------------------------------------------------------------- channels and mixing

    public static Tensor concatChannels(List<Tensor> xs) {
        return ConcatChannels.apply(xs);
    }

    public static Tensor narrowChannels(Tensor x, int start, int count) {
        return NarrowChannels.apply(x, start, count);
    }

    /** Zero channels added before and after (the option-A shortcut of He et al.). */
    public static Tensor padChannels(Tensor x, int before, int after) {
        Tensor[] parts = new Tensor[]{zerosWithChannels(x, before), x, zerosWithChannels(x, after)};
        return concatChannels(Arrays.stream(parts).filter(t -> t.dim(1) > 0).toList());
    }

    private static Tensor zerosWithChannels(Tensor like, int c) {
        int[] shape = like.shape();
        shape[1] = c;
        return Tensor.zeros(like.backend(), shape);
    }

    public static Tensor channelShuffle(Tensor x, int groups) {
        return ChannelShuffle.apply(x, groups);
    }

    /** sum_o weights[o] xs[o]. */
    public static Tensor mixedSum(List<Tensor> xs, Tensor weights) {
        return MixedSum.apply(xs, weights);
    }

    // ---------------------------------------------------------------- metrics kept on the device (no gradient)

    /**
     * count[0] += the number of rows of logits whose argmax (the first maximum) is their label.
     * logits: (n, classes); labels, count: int32 (n) and (1). Nothing is read back to the host.
     */
    public static void accumulateCorrect(Tensor logits, Tensor labels, Tensor count) {
        checkMetric(logits, labels, count, 1, "accumulateCorrect");
        logits.backend().countCorrect(logits.dim(0), logits.dim(1), logits.data(), labels.data(), count.data());
    }

    /** out[offset + r] = argmax of row r of logits (the first maximum); logits: (n, classes), out: int32. */
    public static void argmaxRows(Tensor logits, Tensor out, int offset) {
        checkMetric(logits, null, out, offset + (long) logits.dim(0), "argmaxRows");
        logits.backend().argmaxRows(logits.dim(0), logits.dim(1), logits.data(), out.data(), offset);
    }

    private static void checkMetric(Tensor logits, Tensor labels, Tensor out, long outAtLeast, String op) {
        if (logits.rank() != 2)
            throw new IllegalArgumentException(op + ": logits must be (n, classes), got " + Arrays.toString(logits.shape()));
        if (labels != null && (labels.dtype() != DType.I32 || labels.numel() != logits.dim(0)))
            throw new IllegalArgumentException(op + ": labels must be int32 of " + logits.dim(0) + " elements");
        if (out.dtype() != DType.I32 || out.numel() < outAtLeast)
            throw new IllegalArgumentException(op + ": output must be int32 with at least " + outAtLeast + " elements");
    }
}
