package org.archrepair.kernels.cpu;

import org.archrepair.kernels.AdamSpec;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;
import org.archrepair.kernels.ChannelCopySpec;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.Pool2dSpec;
import org.archrepair.kernels.SgdSpec;
import org.archrepair.kernels.UnaryOp;
import org.archrepair.kernels.cpu.ref.BatchNormRef;
import org.archrepair.kernels.cpu.ref.ChannelRef;
import org.archrepair.kernels.cpu.ref.ConvRef;
import org.archrepair.kernels.cpu.ref.ElementwiseRef;
import org.archrepair.kernels.cpu.ref.GemmRef;
import org.archrepair.kernels.cpu.ref.LossRef;
import org.archrepair.kernels.cpu.ref.OptimRef;
import org.archrepair.kernels.cpu.ref.PoolRef;

import java.util.Arrays;

/**
 * The CPU device: buffers are Java arrays. Two flavours share this class:
 * {@link #reference()} runs the plain scalar kernels of {@code cpu.ref} (single thread, double
 * accumulation, the oracle of the tests), {@link #fast(int)} runs the Vector-API and multithreaded
 * paths of {@code cpu.fast} where time goes and the scalar kernels elsewhere.
 *
 * <p>Every method first checks that its buffers belong to this backend and have the lengths the
 * spec implies, and fails naming the argument at fault.
 */
public class CpuBackend implements Backend {

    private final boolean fast;
    private final int threads;

    protected CpuBackend(boolean fast, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.fast = fast;
        this.threads = threads;
    }

    /** The scalar reference backend. */
    public static CpuBackend reference() {
        return new CpuBackend(false, 1);
    }

    /** The fast backend with a fixed number of worker threads (bitwise reproducible for that count). */
    public static CpuBackend fast(int threads) {
        return new CpuBackend(true, threads);
    }

    public boolean isFast() {
        return fast;
    }

    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return fast ? "cpu" : "cpu-reference";
    }

    // ---------------------------------------------------------------- argument checks

    private CpuBuffer own(DeviceBuffer b, String what) {
        if (b == null) throw new IllegalArgumentException(what + " is null");
        if (!(b instanceof CpuBuffer cb) || cb.owner != this)
            throw new IllegalArgumentException(what + " belongs to backend " + b.backend().name() + ", not " + name());
        return cb;
    }

    /** The float[] of an F32 buffer of exactly the given length. */
    protected float[] f(DeviceBuffer b, long length, String what) {
        CpuBuffer cb = own(b, what);
        if (cb.f == null) throw new IllegalArgumentException(what + " must be F32, is " + cb.dtype());
        if (cb.f.length != length)
            throw new IllegalArgumentException(what + " has " + cb.f.length + " elements, expected " + length);
        return cb.f;
    }

    /** Like {@link #f} but null passes through (optional arguments). */
    protected float[] fOrNull(DeviceBuffer b, long length, String what) {
        return b == null ? null : f(b, length, what);
    }

    protected float[] f(DeviceBuffer b, String what) {
        CpuBuffer cb = own(b, what);
        if (cb.f == null) throw new IllegalArgumentException(what + " must be F32, is " + cb.dtype());
        return cb.f;
    }

    protected int[] i(DeviceBuffer b, long length, String what) {
        CpuBuffer cb = own(b, what);
        if (cb.i == null) throw new IllegalArgumentException(what + " must be I32, is " + cb.dtype());
        if (cb.i.length != length)
            throw new IllegalArgumentException(what + " has " + cb.i.length + " elements, expected " + length);
        return cb.i;
    }

    private static int checkedLength(long length) {
        if (length < 0 || length > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("CPU buffers hold at most 2^31 - 9 elements, asked for " + length);
        return (int) length;
    }

    // ---------------------------------------------------------------- memory

    @Override
    public DeviceBuffer allocate(DType dtype, long length) {
        int n = checkedLength(length);
        return dtype == DType.F32 ? new CpuBuffer(this, new float[n], null) : new CpuBuffer(this, null, new int[n]);
    }

    @Override
    public DeviceBuffer upload(float[] host) {
        return new CpuBuffer(this, host.clone(), null);
    }

    @Override
    public DeviceBuffer upload(int[] host) {
        return new CpuBuffer(this, null, host.clone());
    }

    @Override
    public void download(DeviceBuffer src, float[] dst) {
        System.arraycopy(f(src, dst.length, "download source"), 0, dst, 0, dst.length);
    }

    @Override
    public void download(DeviceBuffer src, int[] dst) {
        System.arraycopy(i(src, dst.length, "download source"), 0, dst, 0, dst.length);
    }

    @Override
    public void copy(DeviceBuffer src, long srcPos, DeviceBuffer dst, long dstPos, long length) {
        CpuBuffer s = own(src, "copy source"), d = own(dst, "copy destination");
        if (s.dtype() != d.dtype()) throw new IllegalArgumentException("copy between " + s.dtype() + " and " + d.dtype());
        if (srcPos < 0 || dstPos < 0 || length < 0 || srcPos + length > s.length() || dstPos + length > d.length())
            throw new IllegalArgumentException("copy of " + length + " elements from " + srcPos + " of " + s.length()
                    + " to " + dstPos + " of " + d.length() + " is out of range");
        if (s.f != null) System.arraycopy(s.f, (int) srcPos, d.f, (int) dstPos, (int) length);
        else System.arraycopy(s.i, (int) srcPos, d.i, (int) dstPos, (int) length);
    }

    @Override
    public void fill(DeviceBuffer dst, float value) {
        Arrays.fill(f(dst, "fill destination"), value);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void unary(UnaryOp op, DeviceBuffer x, DeviceBuffer y) {
        float[] xa = f(x, "x");
        ElementwiseRef.unary(op, xa, f(y, xa.length, "y"));
    }

    @Override
    public void reluBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) {
        float[] ya = f(y, "y");
        ElementwiseRef.reluBackward(ya, f(dy, ya.length, "dy"), f(dx, ya.length, "dx"));
    }

    @Override
    public void binary(BinaryOp op, BroadcastSpec spec, DeviceBuffer a, DeviceBuffer b, DeviceBuffer y) {
        ElementwiseRef.binary(op, spec, f(a, BroadcastSpec.volume(spec.aShape()), "a"),
                f(b, BroadcastSpec.volume(spec.bShape()), "b"), f(y, BroadcastSpec.volume(spec.yShape()), "y"));
    }

    @Override
    public void sumTo(int[] xShape, DeviceBuffer x, int[] yShape, DeviceBuffer y) {
        if (xShape.length != yShape.length)
            throw new IllegalArgumentException("sumTo: ranks differ, " + Arrays.toString(xShape) + " -> "
                    + Arrays.toString(yShape));
        for (int d = 0; d < xShape.length; d++)
            if (yShape[d] != xShape[d] && yShape[d] != 1)
                throw new IllegalArgumentException("sumTo: cannot reduce " + Arrays.toString(xShape) + " to "
                        + Arrays.toString(yShape));
        ElementwiseRef.sumTo(xShape, f(x, BroadcastSpec.volume(xShape), "x"), yShape,
                f(y, BroadcastSpec.volume(yShape), "y"));
    }

    @Override
    public void affine(DeviceBuffer x, DeviceBuffer y, float a, float b) {
        float[] xa = f(x, "x");
        ElementwiseRef.affine(xa, f(y, xa.length, "y"), a, b);
    }

    @Override
    public void axpy(float a, DeviceBuffer x, DeviceBuffer y) {
        float[] xa = f(x, "x");
        ElementwiseRef.axpy(a, xa, f(y, xa.length, "y"));
    }

    @Override
    public double dot(DeviceBuffer a, DeviceBuffer b) {
        float[] aa = f(a, "a");
        return ElementwiseRef.dot(aa, f(b, aa.length, "b"));
    }

    // ---------------------------------------------------------------- gemm

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     DeviceBuffer a, long aOffset, int lda, DeviceBuffer b, long bOffset, int ldb,
                     float beta, DeviceBuffer c, long cOffset, int ldc) {
        float[] af = f(a, "A"), bf = f(b, "B"), cf = f(c, "C");
        checkMatrix("A", af.length, aOffset, transA ? k : m, transA ? m : k, lda);
        checkMatrix("B", bf.length, bOffset, transB ? n : k, transB ? k : n, ldb);
        checkMatrix("C", cf.length, cOffset, m, n, ldc);
        GemmRef.gemm(transA, transB, m, n, k, alpha, af, (int) aOffset, lda, bf, (int) bOffset, ldb,
                beta, cf, (int) cOffset, ldc);
    }

    private static void checkMatrix(String what, long length, long offset, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0 || ld < Math.max(cols, 1) || offset < 0
                || (rows > 0 && cols > 0 && offset + (long) (rows - 1) * ld + cols > length))
            throw new IllegalArgumentException("gemm: " + what + " (" + rows + " x " + cols + ", ld " + ld
                    + ", offset " + offset + ") does not fit its buffer of " + length);
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public void conv2dForward(Conv2dSpec s, DeviceBuffer x, DeviceBuffer w, DeviceBuffer y) {
        ConvRef.forward(s, f(x, s.xLength(), "x"), f(w, s.wLength(), "w"), f(y, s.yLength(), "y"));
    }

    @Override
    public void conv2dBackwardData(Conv2dSpec s, DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx) {
        ConvRef.backwardData(s, f(dy, s.yLength(), "dy"), f(w, s.wLength(), "w"), f(dx, s.xLength(), "dx"));
    }

    @Override
    public void conv2dBackwardWeight(Conv2dSpec s, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw) {
        ConvRef.backwardWeight(s, f(x, s.xLength(), "x"), f(dy, s.yLength(), "dy"), f(dw, s.wLength(), "dw"));
    }

    // ---------------------------------------------------------------- pooling

    @Override
    public void maxPool2dForward(Pool2dSpec s, DeviceBuffer x, DeviceBuffer y, DeviceBuffer argmax) {
        PoolRef.maxForward(s, f(x, s.xLength(), "x"), f(y, s.yLength(), "y"), i(argmax, s.yLength(), "argmax"));
    }

    @Override
    public void maxPool2dBackward(Pool2dSpec s, DeviceBuffer dy, DeviceBuffer argmax, DeviceBuffer dx) {
        PoolRef.maxBackward(s, f(dy, s.yLength(), "dy"), i(argmax, s.yLength(), "argmax"), f(dx, s.xLength(), "dx"));
    }

    @Override
    public void avgPool2dForward(Pool2dSpec s, DeviceBuffer x, DeviceBuffer y) {
        PoolRef.avgForward(s, f(x, s.xLength(), "x"), f(y, s.yLength(), "y"));
    }

    @Override
    public void avgPool2dBackward(Pool2dSpec s, DeviceBuffer dy, DeviceBuffer dx) {
        PoolRef.avgBackward(s, f(dy, s.yLength(), "dy"), f(dx, s.xLength(), "dx"));
    }

    @Override
    public void globalAvgPoolForward(int n, int c, int hw, DeviceBuffer x, DeviceBuffer y) {
        PoolRef.globalAvgForward(n, c, hw, f(x, (long) n * c * hw, "x"), f(y, (long) n * c, "y"));
    }

    @Override
    public void globalAvgPoolBackward(int n, int c, int hw, DeviceBuffer dy, DeviceBuffer dx) {
        PoolRef.globalAvgBackward(n, c, hw, f(dy, (long) n * c, "dy"), f(dx, (long) n * c * hw, "dx"));
    }

    // ---------------------------------------------------------------- batch norm

    @Override
    public void batchNormForwardTrain(BatchNormSpec s, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta,
                                      DeviceBuffer runningMean, DeviceBuffer runningVar, DeviceBuffer y,
                                      DeviceBuffer saveMean, DeviceBuffer saveInvStd) {
        checkPair(gamma, beta, "gamma", "beta");
        checkPair(runningMean, runningVar, "running_mean", "running_var");
        if (runningMean != null && (long) s.n() * s.hw() < 2)
            throw new IllegalArgumentException("batchnorm: training needs more than 1 value per channel, got "
                    + s.n() + " x " + s.hw());
        BatchNormRef.forwardTrain(s, f(x, s.length(), "x"), fOrNull(gamma, s.c(), "gamma"),
                fOrNull(beta, s.c(), "beta"), fOrNull(runningMean, s.c(), "running_mean"),
                fOrNull(runningVar, s.c(), "running_var"), f(y, s.length(), "y"),
                f(saveMean, s.c(), "saveMean"), f(saveInvStd, s.c(), "saveInvStd"));
    }

    @Override
    public void batchNormForwardEval(BatchNormSpec s, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta,
                                     DeviceBuffer runningMean, DeviceBuffer runningVar, DeviceBuffer y) {
        checkPair(gamma, beta, "gamma", "beta");
        BatchNormRef.forwardEval(s, f(x, s.length(), "x"), fOrNull(gamma, s.c(), "gamma"),
                fOrNull(beta, s.c(), "beta"), f(runningMean, s.c(), "running_mean"),
                f(runningVar, s.c(), "running_var"), f(y, s.length(), "y"));
    }

    @Override
    public void batchNormBackward(BatchNormSpec s, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer gamma,
                                  DeviceBuffer saveMean, DeviceBuffer saveInvStd,
                                  DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta) {
        BatchNormRef.backward(s, f(x, s.length(), "x"), f(dy, s.length(), "dy"), fOrNull(gamma, s.c(), "gamma"),
                f(saveMean, s.c(), "saveMean"), f(saveInvStd, s.c(), "saveInvStd"), f(dx, s.length(), "dx"),
                fOrNull(dgamma, s.c(), "dgamma"), fOrNull(dbeta, s.c(), "dbeta"));
    }

    private static void checkPair(DeviceBuffer a, DeviceBuffer b, String an, String bn) {
        if ((a == null) != (b == null))
            throw new IllegalArgumentException("batchnorm: " + an + " and " + bn + " must both be given or both null");
    }

    // ---------------------------------------------------------------- softmax and loss

    @Override
    public void softmaxForward(int rows, int cols, DeviceBuffer x, DeviceBuffer y) {
        long len = (long) rows * cols;
        LossRef.softmax(rows, cols, f(x, len, "x"), f(y, len, "y"));
    }

    @Override
    public void softmaxBackward(int rows, int cols, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) {
        long len = (long) rows * cols;
        LossRef.softmaxBackward(rows, cols, f(y, len, "y"), f(dy, len, "dy"), f(dx, len, "dx"));
    }

    @Override
    public void softmaxCrossEntropyForward(int rows, int cols, DeviceBuffer logits, DeviceBuffer labels,
                                           DeviceBuffer probs, DeviceBuffer loss) {
        long len = (long) rows * cols;
        LossRef.crossEntropy(rows, cols, f(logits, len, "logits"), i(labels, rows, "labels"),
                f(probs, len, "probs"), f(loss, 1, "loss"));
    }

    @Override
    public void softmaxCrossEntropyBackward(int rows, int cols, DeviceBuffer probs, DeviceBuffer labels,
                                            DeviceBuffer dloss, DeviceBuffer dlogits) {
        long len = (long) rows * cols;
        LossRef.crossEntropyBackward(rows, cols, f(probs, len, "probs"), i(labels, rows, "labels"),
                f(dloss, 1, "dloss")[0], f(dlogits, len, "dlogits"));
    }

    // ---------------------------------------------------------------- channels

    @Override
    public void copyChannels(ChannelCopySpec s, DeviceBuffer src, DeviceBuffer dst, boolean accumulate) {
        ChannelRef.copyChannels(s, f(src, (long) s.n() * s.srcC() * s.hw(), "src"),
                f(dst, (long) s.n() * s.dstC() * s.hw(), "dst"), accumulate);
    }

    @Override
    public void channelShuffle(int n, int c, int hw, int groups, DeviceBuffer x, DeviceBuffer y) {
        long len = (long) n * c * hw;
        ChannelRef.channelShuffle(n, c, hw, groups, f(x, len, "x"), f(y, len, "y"));
    }

    // ---------------------------------------------------------------- mixed op

    @Override
    public void mixedSumForward(DeviceBuffer[] xs, DeviceBuffer weights, DeviceBuffer y) {
        float[] ya = f(y, "y");
        ChannelRef.mixedSum(arrays(xs, ya.length, "xs"), f(weights, xs.length, "weights"), ya);
    }

    @Override
    public void mixedSumBackward(DeviceBuffer[] xs, DeviceBuffer weights, DeviceBuffer dy,
                                 DeviceBuffer[] dxs, DeviceBuffer dweights) {
        float[] dya = f(dy, "dy");
        if (dxs.length != xs.length)
            throw new IllegalArgumentException("mixed sum: " + dxs.length + " gradients for " + xs.length + " inputs");
        float[][] dx = new float[dxs.length][];
        for (int k = 0; k < dxs.length; k++) dx[k] = fOrNull(dxs[k], dya.length, "dxs[" + k + "]");
        ChannelRef.mixedSumBackward(arrays(xs, dya.length, "xs"), f(weights, xs.length, "weights"), dya, dx,
                fOrNull(dweights, xs.length, "dweights"));
    }

    private float[][] arrays(DeviceBuffer[] bs, long length, String what) {
        float[][] out = new float[bs.length][];
        for (int k = 0; k < bs.length; k++) out[k] = f(bs[k], length, what + "[" + k + "]");
        return out;
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void sgdStep(SgdSpec s, DeviceBuffer w, DeviceBuffer g, DeviceBuffer buf) {
        float[] wa = f(w, "w");
        OptimRef.sgd(s, wa, f(g, wa.length, "g"), s.momentum() == 0f ? null : f(buf, wa.length, "momentum buffer"));
    }

    @Override
    public void adamStep(AdamSpec s, DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v) {
        float[] wa = f(w, "w");
        OptimRef.adam(s, wa, f(g, wa.length, "g"), f(m, wa.length, "m"), f(v, wa.length, "v"));
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return fast ? "CpuBackend(fast, " + threads + " threads)" : "CpuBackend(reference)";
    }
}
