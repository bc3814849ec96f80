package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.DeviceBuffer;

import java.util.Arrays;

/**
 * Training-mode batch norm over x: (n, c, h, w) or (n, c), batch statistics per channel:
 * y = xhat gamma + beta with xhat = (x - mean) / sqrt(var + eps) (biased var).
 * dbeta = sum dy; dgamma = sum dy xhat; dx = gamma / sqrt(var + eps) (dy - mean(dy) - xhat mean(dy xhat)).
 * As a side effect the running statistics (if given) move towards the batch's, as in PyTorch.
 */
public final class BatchNorm extends Function {
    private final Tensor x, gamma;
    private final BatchNormSpec spec;
    private final DeviceBuffer saveMean, saveInvStd;

    private BatchNorm(Tensor x, Tensor gamma, Tensor beta, BatchNormSpec spec, DeviceBuffer saveMean,
                      DeviceBuffer saveInvStd) {
        super(x, gamma, beta);
        this.x = x;
        this.gamma = gamma;
        this.spec = spec;
        this.saveMean = saveMean;
        this.saveInvStd = saveInvStd;
    }

    /** gamma, beta: (c) or both null (affine = false); runningMean, runningVar: (c) or both null. */
    public static Tensor apply(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                               float eps, float momentum) {
        BatchNormSpec spec = spec(x, eps, momentum);
        Backend be = x.backend();
        Tensor y = Buffers.tensor(be, x.shape());
        DeviceBuffer mean = Buffers.floats(be, spec.c()), invStd = Buffers.floats(be, spec.c());
        be.batchNormForwardTrain(spec, x.data(), data(gamma), data(beta), data(runningMean), data(runningVar),
                y.data(), mean, invStd);
        return Tensor.result(y.data(), y.shape(), new BatchNorm(x, gamma, beta, spec, mean, invStd));
    }

    static BatchNormSpec spec(Tensor x, float eps, float momentum) {
        if (x.rank() != 4 && x.rank() != 2)
            throw new IllegalArgumentException("batch_norm: input must be (n, c, h, w) or (n, c), got "
                    + Arrays.toString(x.shape()));
        int hw = x.rank() == 4 ? x.dim(2) * x.dim(3) : 1;
        return new BatchNormSpec(x.dim(0), x.dim(1), hw, eps, momentum);
    }

    static DeviceBuffer data(Tensor t) {
        return t == null ? null : t.data();
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Backend be = dy.backend();
        Tensor dx = Buffers.tensor(be, x.shape());
        Tensor dgamma = needsGrad(1) ? Buffers.tensor(be, spec.c()) : null;
        Tensor dbeta = needsGrad(2) ? Buffers.tensor(be, spec.c()) : null;
        be.batchNormBackward(spec, x.data(), dy.data(), data(gamma), saveMean, saveInvStd, dx.data(),
                data(dgamma), data(dbeta));
        return new Tensor[]{needsGrad(0) ? dx : null, dgamma, dbeta};
    }
}
