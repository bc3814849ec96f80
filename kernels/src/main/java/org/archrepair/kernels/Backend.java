package org.archrepair.kernels;

/**
 * The primitives a device implements: the only place where numbers are computed. Everything above
 * (functions, modules, models, repair) is a composition of these calls.
 *
 * <p>Conventions. Buffers are flat; shapes come from the spec records or the int arguments, with
 * the layout written next to each buffer parameter. Output buffers are overwritten unless the
 * method says "accumulates". Outputs never alias inputs, except where a method says so. Every
 * backend implements every primitive; {@code BackendConformanceTest} runs each one against the
 * scalar reference of {@code CpuBackend}.
 *
 * <p>What this is not: it knows nothing about tensors, autograd or models.
 */
public interface Backend extends AutoCloseable {

    /** Short name for reports and errors ("cpu", "cpu-reference", "cuda:0"). */
    String name();

    // ---------------------------------------------------------------- memory

    /**
     * A new buffer whose contents are undefined (on a GPU: whatever the reused memory held): for an
     * output that the next primitive overwrites entirely, which is almost every output.
     */
    DeviceBuffer allocateUninitialized(DType dtype, long length);

    /** A new zero-filled buffer: for an output that is written only in part or accumulated into. */
    DeviceBuffer allocateZeroed(DType dtype, long length);

    DeviceBuffer upload(float[] host);

    DeviceBuffer upload(int[] host);

    /** Copy the whole buffer to the host; dst.length must equal src.length(). */
    void download(DeviceBuffer src, float[] dst);

    void download(DeviceBuffer src, int[] dst);

    /** dst[dstPos + i] = src[srcPos + i] for i in [0, length); same dtype. */
    void copy(DeviceBuffer src, long srcPos, DeviceBuffer dst, long dstPos, long length);

    /** Every element of dst (F32) becomes value. */
    void fill(DeviceBuffer dst, float value);

    // ---------------------------------------------------------------- elementwise

    /** y[i] = op(x[i]); y may be x. */
    void unary(UnaryOp op, DeviceBuffer x, DeviceBuffer y);

    /** dx[i] = dy[i] if y[i] > 0 else 0 (ReLU backward from its output). */
    void reluBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx);

    /** y = a (op) b with broadcasting; a: spec.aShape, b: spec.bShape, y: spec.yShape. y may be a or b when that one has y's shape. */
    void binary(BinaryOp op, BroadcastSpec spec, DeviceBuffer a, DeviceBuffer b, DeviceBuffer y);

    /**
     * Sum x down to the shape of y (the backward of a broadcast): y[j] = sum of x[i] over the
     * indices i that broadcast to j. y's shape has x's rank with some dimensions set to 1.
     */
    void sumTo(int[] xShape, DeviceBuffer x, int[] yShape, DeviceBuffer y);

    /** y[i] = a * x[i] + b; y may be x. */
    void affine(DeviceBuffer x, DeviceBuffer y, float a, float b);

    /** y[i] += a * x[i] (accumulates). */
    void axpy(float a, DeviceBuffer x, DeviceBuffer y);

    // ---------------------------------------------------------------- reductions

    /** sum_i a[i] * b[i], accumulated in double; a and b have equal length. Reads the result back to the host. */
    double dot(DeviceBuffer a, DeviceBuffer b);

    // ---------------------------------------------------------------- statistics that stay on the device

    /** acc[0] += sum_i x[i]^2 (accumulates). acc: (1). A gradient norm without a host round trip. */
    void sumOfSquares(DeviceBuffer x, DeviceBuffer acc);

    /**
     * y[i] = x[i] * min(1, maxNorm / (sqrt(sumOfSquares[0]) + 1e-6)), the factor of
     * torch.nn.utils.clip_grad_norm_, computed in float from the device-side sum. sumOfSquares: (1);
     * y may be x.
     */
    void clipByNorm(DeviceBuffer sumOfSquares, float maxNorm, DeviceBuffer x, DeviceBuffer y);

    /**
     * out[outOffset + r] = the column of the largest value in row r, scanning left to right and moving
     * only to a strictly greater value (ties go to the first; NaN never wins past column 0).
     * x: (rows, cols); out (I32): at least outOffset + rows.
     */
    void argmaxRows(int rows, int cols, DeviceBuffer x, DeviceBuffer out, long outOffset);

    /**
     * count[0] += the number of rows r whose {@link #argmaxRows argmax} equals labels[r] (accumulates).
     * x: (rows, cols); labels (I32): (rows); count (I32): (1).
     */
    void countCorrect(int rows, int cols, DeviceBuffer x, DeviceBuffer labels, DeviceBuffer count);

    // ---------------------------------------------------------------- dense linear algebra

    /**
     * Row-major SGEMM: C = alpha * op(A) * op(B) + beta * C with op(A): (m, k), op(B): (k, n), C: (m, n).
     * A is stored (m, lda) or, transposed, (k, lda); likewise B; offsets are in elements. beta == 0
     * ignores C's prior contents (NaN included), as BLAS does; alpha == 0 (or k == 0) reads neither A nor B,
     * so C = beta * C even where A or B holds NaN.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              DeviceBuffer a, long aOffset, int lda, DeviceBuffer b, long bOffset, int ldb,
              float beta, DeviceBuffer c, long cOffset, int ldc);

    // ---------------------------------------------------------------- convolution

    /** y = conv(x, w). x: (n, c, h, w), w: (k, c/groups, r, s), y: (n, k, p, q). No bias. */
    void conv2dForward(Conv2dSpec spec, DeviceBuffer x, DeviceBuffer w, DeviceBuffer y);

    /** dx = conv_transpose(dy, w). dy: (n, k, p, q), w: (k, c/groups, r, s), dx: (n, c, h, w). */
    void conv2dBackwardData(Conv2dSpec spec, DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx);

    /** dw = sum over n, p, q of dy * x windows. x: (n, c, h, w), dy: (n, k, p, q), dw: (k, c/groups, r, s). */
    void conv2dBackwardWeight(Conv2dSpec spec, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw);

    // ---------------------------------------------------------------- pooling

    /**
     * Max pooling. x: (n, c, h, w), y: (n, c, p, q), argmax (I32): (n, c, p, q) holds the winning
     * input position h_in * w + w_in within its plane; ties go to the first in row-major order,
     * and padding never wins (it is -infinity).
     */
    void maxPool2dForward(Pool2dSpec spec, DeviceBuffer x, DeviceBuffer y, DeviceBuffer argmax);

    /** dx = scatter-add of dy to argmax. dy: (n, c, p, q), dx: (n, c, h, w). */
    void maxPool2dBackward(Pool2dSpec spec, DeviceBuffer dy, DeviceBuffer argmax, DeviceBuffer dx);

    /** Average pooling with count_include_pad = false: each window divides by its in-image size. */
    void avgPool2dForward(Pool2dSpec spec, DeviceBuffer x, DeviceBuffer y);

    void avgPool2dBackward(Pool2dSpec spec, DeviceBuffer dy, DeviceBuffer dx);

    /** y[n, c] = mean over hw of x[n, c, :]. x: (n, c, hw), y: (n, c). */
    void globalAvgPoolForward(int n, int c, int hw, DeviceBuffer x, DeviceBuffer y);

    /** dx[n, c, i] = dy[n, c] / hw. */
    void globalAvgPoolBackward(int n, int c, int hw, DeviceBuffer dy, DeviceBuffer dx);

    // ---------------------------------------------------------------- batch normalization

    /**
     * Training-mode batch norm. x, y: (n, c, hw); gamma, beta: (c) or both null (affine = false);
     * runningMean, runningVar: (c), updated in place, or both null (no running statistics);
     * saveMean, saveInvStd: (c) outputs for the backward pass (1 / sqrt(biased var + eps)).
     */
    void batchNormForwardTrain(BatchNormSpec spec, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta,
                               DeviceBuffer runningMean, DeviceBuffer runningVar, DeviceBuffer y,
                               DeviceBuffer saveMean, DeviceBuffer saveInvStd);

    /** Eval-mode batch norm with the running statistics. gamma/beta may be null (affine = false). */
    void batchNormForwardEval(BatchNormSpec spec, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta,
                              DeviceBuffer runningMean, DeviceBuffer runningVar, DeviceBuffer y);

    /**
     * Backward of training-mode batch norm. x, dy, dx: (n, c, hw); gamma: (c) or null (taken as 1);
     * dgamma, dbeta: (c) outputs, or null when not wanted.
     */
    void batchNormBackward(BatchNormSpec spec, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer gamma,
                           DeviceBuffer saveMean, DeviceBuffer saveInvStd,
                           DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta);

    // ---------------------------------------------------------------- softmax and loss

    /** Row-wise softmax. x, y: (rows, cols). */
    void softmaxForward(int rows, int cols, DeviceBuffer x, DeviceBuffer y);

    /** dx = y * (dy - sum(dy * y)) row-wise. y, dy, dx: (rows, cols). */
    void softmaxBackward(int rows, int cols, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx);

    /**
     * Mean softmax cross-entropy over the batch. logits, probs: (rows, cols); labels (I32): (rows),
     * each in [0, cols); loss: (1). probs is saved for the backward pass.
     */
    void softmaxCrossEntropyForward(int rows, int cols, DeviceBuffer logits, DeviceBuffer labels,
                                    DeviceBuffer probs, DeviceBuffer loss);

    /** dlogits = dloss[0] * (probs - onehot(labels)) / rows. dloss: (1). */
    void softmaxCrossEntropyBackward(int rows, int cols, DeviceBuffer probs, DeviceBuffer labels,
                                     DeviceBuffer dloss, DeviceBuffer dlogits);

    // ---------------------------------------------------------------- channels

    /**
     * dst[:, dstStart + i, :] = src[:, srcStart + i, :] for i in [0, count), or += when accumulate.
     * src: (n, srcC, hw), dst: (n, dstC, hw).
     */
    void copyChannels(ChannelCopySpec spec, DeviceBuffer src, DeviceBuffer dst, boolean accumulate);

    /**
     * Channel shuffle as in ShuffleNet / PC-DARTS: view x as (n, groups, c/groups, hw), swap the
     * two channel axes. y[:, j * groups + g] = x[:, g * (c/groups) + j]. The inverse is the shuffle
     * with c/groups groups.
     */
    void channelShuffle(int n, int c, int hw, int groups, DeviceBuffer x, DeviceBuffer y);

    // ---------------------------------------------------------------- mixed operation (DARTS)

    /** y = sum_i weights[i] * xs[i]. xs[i], y: same length; weights: (xs.length). */
    void mixedSumForward(DeviceBuffer[] xs, DeviceBuffer weights, DeviceBuffer y);

    /**
     * dxs[i] = weights[i] * dy, and dweights[i] = sum(xs[i] * dy). Entries of dxs may be null
     * (that gradient is not wanted); dweights may be null.
     */
    void mixedSumBackward(DeviceBuffer[] xs, DeviceBuffer weights, DeviceBuffer dy,
                          DeviceBuffer[] dxs, DeviceBuffer dweights);

    // ---------------------------------------------------------------- optimizers

    /** In-place SGD step on w with gradient g and momentum buffer buf (same length; buf unused at momentum 0). */
    void sgdStep(SgdSpec spec, DeviceBuffer w, DeviceBuffer g, DeviceBuffer buf);

    /** In-place Adam step on w with gradient g and moment buffers m, v. */
    void adamStep(AdamSpec spec, DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v);

    /** Release threads or device resources. Buffers of a closed backend must not be used. */
    @Override
    void close();
}
