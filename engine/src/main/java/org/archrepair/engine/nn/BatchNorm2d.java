package org.archrepair.engine.nn;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;

/**
 * Batch normalization as torch.nn.BatchNorm2d (eps 1e-5, momentum 0.1, running statistics always
 * tracked): batch statistics in training mode, running ones in eval mode. With affine = false
 * (the DARTS search convention) there is no weight or bias. Works on (n, c, h, w) and (n, c).
 *
 * <p>PyTorch's {@code num_batches_tracked} counter is not kept: it only matters for momentum = None.
 */
public class BatchNorm2d extends Module {
    public final int channels;
    public final float eps, momentum;
    public final Tensor weight, bias, runningMean, runningVar;

    public BatchNorm2d(Init init, int channels, boolean affine) {
        this.channels = channels;
        this.eps = 1e-5f;
        this.momentum = 0.1f;
        this.weight = affine ? parameter("weight", init.ones(channels)) : null;
        this.bias = affine ? parameter("bias", init.zeros(channels)) : null;
        this.runningMean = buffer("running_mean", init.zeros(channels));
        this.runningVar = buffer("running_var", init.ones(channels));
    }

    public BatchNorm2d(Init init, int channels) {
        this(init, channels, true);
    }

    @Override
    protected Tensor compute(Tensor x) {
        if (x.dim(1) != channels)
            throw new IllegalArgumentException("BatchNorm2d(" + channels + ") got " + x.dim(1) + " channels");
        return isTraining()
                ? Ops.batchNormTrain(x, weight, bias, runningMean, runningVar, eps, momentum)
                : Ops.batchNormEval(x, weight, bias, runningMean, runningVar, eps);
    }

    @Override
    public String toString() {
        return "BatchNorm2d(" + channels + (weight == null ? ", affine=false" : "") + ")";
    }
}
