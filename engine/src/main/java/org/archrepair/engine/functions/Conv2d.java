package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.Conv2dSpec;

import java.util.Arrays;

/**
 * y = conv(x, w) (cross-correlation, no bias); x: (n, c, h, w), w: (k, c/groups, r, s), y: (n, k, p, q).
 * dx = conv_transpose(dy, w); dw = sum over n, p, q of dy * x windows.
 */
public final class Conv2d extends Function {
    private final Tensor x, weight;
    private final Conv2dSpec spec;

    private Conv2d(Tensor x, Tensor weight, Conv2dSpec spec) {
        super(x, weight);
        this.x = x;
        this.weight = weight;
        this.spec = spec;
    }

    public static Tensor apply(Tensor x, Tensor weight, int stride, int padding, int dilation, int groups) {
        Buffers.requireRank(x, 4, "conv2d", "input");
        Buffers.requireRank(weight, 4, "conv2d", "weight");
        int[] ws = weight.shape();
        if (ws[2] != ws[3]) throw new IllegalArgumentException("conv2d: only square kernels, got " + Arrays.toString(ws));
        if ((long) ws[1] * groups != x.dim(1))
            throw new IllegalArgumentException("conv2d: weight " + Arrays.toString(ws) + " with groups " + groups
                    + " expects " + ws[1] * groups + " input channels, input has shape " + Arrays.toString(x.shape()));
        Conv2dSpec spec = Conv2dSpec.of(x.dim(0), x.dim(1), x.dim(2), x.dim(3), ws[0], ws[2], stride, padding,
                dilation, groups);
        Backend be = x.backend();
        Tensor y = Buffers.tensor(be, spec.n(), spec.k(), spec.p(), spec.q());
        be.conv2dForward(spec, x.data(), weight.data(), y.data());
        return Tensor.result(y.data(), y.shape(), new Conv2d(x, weight, spec));
    }

    /**
     * The weight gradient of every example on its own, in one grouped backward-weight call: x
     * viewed as (1, n c, h, w) and dy as (1, n k, p, q) with n groups give dw (n k, c/groups, r, s),
     * i.e. (n, k, c/groups, r, s). Not differentiable (a constant); localization averages its
     * magnitude. x: (n, c, h, w), dy: (n, k, p, q) of a conv with these hyper-parameters.
     */
    public static Tensor weightGradPerExample(Tensor x, Tensor dy, int kernel, int stride, int padding, int dilation,
                                              int groups) {
        Buffers.requireRank(x, 4, "conv2d per-example weight gradient", "input");
        Buffers.requireRank(dy, 4, "conv2d per-example weight gradient", "output gradient");
        int n = x.dim(0), c = x.dim(1), k = dy.dim(1);
        if (dy.dim(0) != n)
            throw new IllegalArgumentException("per-example weight gradient: " + n + " inputs, " + dy.dim(0) + " gradients");
        Conv2dSpec spec = Conv2dSpec.of(1, n * c, x.dim(2), x.dim(3), n * k, kernel, stride, padding, dilation, n * groups);
        if (spec.p() != dy.dim(2) || spec.q() != dy.dim(3))
            throw new IllegalArgumentException("per-example weight gradient: output gradient " + Arrays.toString(dy.shape())
                    + " does not fit input " + Arrays.toString(x.shape()) + " and kernel " + kernel);
        Tensor dw = Buffers.tensor(x.backend(), n, k, c / groups, kernel, kernel);
        x.backend().conv2dBackwardWeight(spec, x.data(), dy.data(), dw.data());
        return dw;
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        Backend be = dy.backend();
        Tensor dx = null, dw = null;
        if (needsGrad(0)) {
            dx = Buffers.tensor(be, x.shape());
            be.conv2dBackwardData(spec, dy.data(), weight.data(), dx.data());
        }
        if (needsGrad(1)) {
            dw = Buffers.tensor(be, weight.shape());
            be.conv2dBackwardWeight(spec, x.data(), dy.data(), dw.data());
        }
        return new Tensor[]{dx, dw};
    }
}
