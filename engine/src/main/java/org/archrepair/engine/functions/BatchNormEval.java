package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;
import org.archrepair.kernels.UnaryOp;

/**
 * Eval-mode batch norm with fixed running statistics: y = xhat gamma + beta with
 * xhat = (x - running_mean) / sqrt(running_var + eps).
 * dx = dy gamma / sqrt(running_var + eps); dgamma = sum dy xhat; dbeta = sum dy.
 * (Frozen blocks of a repaired network run like this, and gradients still flow through them.)
 */
public final class BatchNormEval extends Function {
    private final Tensor x, gamma, runningMean, runningVar;
    private final BatchNormSpec spec;

    private BatchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                          BatchNormSpec spec) {
        super(x, gamma, beta);
        this.x = x;
        this.gamma = gamma;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.spec = spec;
    }

    public static Tensor apply(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps) {
        BatchNormSpec spec = BatchNorm.spec(x, eps, 0f);
        Backend be = x.backend();
        Tensor y = Buffers.tensor(be, x.shape());
        be.batchNormForwardEval(spec, x.data(), BatchNorm.data(gamma), BatchNorm.data(beta), runningMean.data(),
                runningVar.data(), y.data());
        return Tensor.result(y.data(), y.shape(),
                new BatchNormEval(x, gamma, beta, runningMean, runningVar, spec));
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Backend be = dy.backend();
        int[] channel = channelShape();
        // invStd = 1 / sqrt(running_var + eps), as a (1, c, 1, 1) tensor
        Tensor invStd = Buffers.tensor(be, channel);
        be.affine(runningVar.data(), invStd.data(), 1f, spec.eps());
        be.unary(UnaryOp.SQRT, invStd.data(), invStd.data());
        Tensor one = Tensor.full(be, 1f, channel);
        be.binary(BinaryOp.DIV, BroadcastSpec.of(channel, channel), one.data(), invStd.data(),
                invStd.data());
        Tensor dx = null, dgamma = null, dbeta = null;
        if (needsGrad(0)) {
            Tensor scale = gamma == null ? invStd
                    : Broadcasting.apply(BinaryOp.MUL, invStd, Tensor.wrap(gamma.data(), channel));
            dx = Broadcasting.apply(BinaryOp.MUL, dy, scale);
        }
        if (needsGrad(1)) {
            Tensor centered = Broadcasting.apply(BinaryOp.SUB, x, Tensor.wrap(runningMean.data(), channel));
            Tensor xhat = Broadcasting.apply(BinaryOp.MUL, centered, invStd);
            dgamma = Tensor.wrap(Broadcasting.reduceTo(Broadcasting.apply(BinaryOp.MUL, dy, xhat), channel).data(),
                    spec.c());
        }
        if (needsGrad(2)) dbeta = Tensor.wrap(Broadcasting.reduceTo(dy, channel).data(), spec.c());
        return new Tensor[]{dx, dgamma, dbeta};
    }

    /** (1, c, 1, 1) for images, (1, c) for features. */
    private int[] channelShape() {
        return x.rank() == 4 ? new int[]{1, spec.c(), 1, 1} : new int[]{1, spec.c()};
    }
}
