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
import org.archrepair.kernels.cpu.fast.BatchNormFast;
import org.archrepair.kernels.cpu.fast.BroadcastFast;
import org.archrepair.kernels.cpu.fast.ConvFast;
import org.archrepair.kernels.cpu.fast.ElementwiseFast;
import org.archrepair.kernels.cpu.fast.LossFast;
import org.archrepair.kernels.cpu.fast.OptimFast;
import org.archrepair.kernels.cpu.fast.Parallel;
import org.archrepair.kernels.cpu.fast.PoolFast;
import org.archrepair.kernels.cpu.fast.Sgemm;
import org.archrepair.kernels.cpu.ref.BatchNormRef;
import org.archrepair.kernels.cpu.ref.ChannelRef;
import org.archrepair.kernels.cpu.ref.ConvRef;
import org.archrepair.kernels.cpu.ref.ElementwiseRef;
import org.archrepair.kernels.cpu.ref.GemmRef;
import org.archrepair.kernels.cpu.ref.LossRef;
import org.archrepair.kernels.cpu.ref.OptimRef;
import org.archrepair.kernels.cpu.ref.PoolRef;
import org.archrepair.kernels.cpu.ref.StatsRef;

import java.util.Arrays;

/**
 * The CPU device: buffers are Java arrays. Two flavours share this class:
 * {@link #reference()} runs the plain scalar kernels of {@code cpu.ref} (single thread, double
 * accumulation, the oracle of the tests), {@link #fast(int)} runs the Vector-API and multithreaded
 * paths of {@code cpu.fast} where time goes and the scalar kernels elsewhere (memory, the backward
 * passes of softmax and loss, channel copies and shuffles: small or plain copies).
 *
 * <p>Every method first checks that its buffers belong to this backend and have the lengths the
 * spec implies, and fails naming the argument at fault; then it dispatches. The fast
 * backend owns a fixed pool of {@code threads - 1} daemon workers ({@link Parallel}), released by
 * {@link #close()}; its results are bitwise reproducible for a given thread count. The compute
 * primitives are synchronized: one fast kernel call spans several parallel phases that share the
 * workers' scratch buffers, so concurrent calls from several threads are serialized, not mixed.
 */
public class CpuBackend implements Backend {

    private final boolean fast;
    private final int threads;
    /** Worker pool of the fast backend; null for the reference. */
    private final Parallel par;

    protected CpuBackend(boolean fast, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.fast = fast;
        this.threads = threads;
        this.par = fast ? new Parallel(threads) : null;
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
        int[] a = i(b, what);
        if (a.length != length)
            throw new IllegalArgumentException(what + " has " + a.length + " elements, expected " + length);
        return a;
    }

    protected int[] i(DeviceBuffer b, String what) {
        CpuBuffer cb = own(b, what);
        if (cb.i == null) throw new IllegalArgumentException(what + " must be I32, is " + cb.dtype());
        return cb.i;
    }

    private static int checkedLength(long length) {
        if (length < 0 || length > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("CPU buffers hold at most 2^31 - 9 elements, asked for " + length);
        return (int) length;
    }

    // ---------------------------------------------------------------- memory

    /** Java arrays start zeroed, so this is {@link #allocateZeroed}: the CPU cannot skip the clearing. */
    @Override
    public DeviceBuffer allocateUninitialized(DType dtype, long length) {
        return allocateZeroed(dtype, length);
    }

    @Override
    public DeviceBuffer allocateZeroed(DType dtype, long length) {
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
    public synchronized void unary(UnaryOp op, DeviceBuffer x, DeviceBuffer y) {
        float[] xa = f(x, "x"), ya = f(y, xa.length, "y");
        if (fast) ElementwiseFast.unary(par, op, xa, ya); else ElementwiseRef.unary(op, xa, ya);
    }

    @Override
    public synchronized void reluBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) {
        float[] ya = f(y, "y"), dya = f(dy, ya.length, "dy"), dxa = f(dx, ya.length, "dx");
        if (fast) ElementwiseFast.reluBackward(par, ya, dya, dxa); else ElementwiseRef.reluBackward(ya, dya, dxa);
    }

    @Override
    public synchronized void binary(BinaryOp op, BroadcastSpec spec, DeviceBuffer a, DeviceBuffer b, DeviceBuffer y) {
        float[] aa = f(a, BroadcastSpec.volume(spec.aShape()), "a"), ba = f(b, BroadcastSpec.volume(spec.bShape()), "b");
        float[] ya = f(y, BroadcastSpec.volume(spec.yShape()), "y");
        if (fast) BroadcastFast.binary(par, op, spec, aa, ba, ya); else ElementwiseRef.binary(op, spec, aa, ba, ya);
    }

    @Override
    public synchronized void sumTo(int[] xShape, DeviceBuffer x, int[] yShape, DeviceBuffer y) {
        if (xShape.length != yShape.length)
            throw new IllegalArgumentException("sumTo: ranks differ, " + Arrays.toString(xShape) + " -> "
                    + Arrays.toString(yShape));
        for (int d = 0; d < xShape.length; d++)
            if (yShape[d] != xShape[d] && yShape[d] != 1)
                throw new IllegalArgumentException("sumTo: cannot reduce " + Arrays.toString(xShape) + " to "
                        + Arrays.toString(yShape));
        float[] xa = f(x, BroadcastSpec.volume(xShape), "x"), ya = f(y, BroadcastSpec.volume(yShape), "y");
        if (fast) BroadcastFast.sumTo(par, xShape, xa, yShape, ya); else ElementwiseRef.sumTo(xShape, xa, yShape, ya);
    }

    @Override
    public synchronized void affine(DeviceBuffer x, DeviceBuffer y, float a, float b) {
        float[] xa = f(x, "x"), ya = f(y, xa.length, "y");
        if (fast) ElementwiseFast.affine(par, xa, ya, a, b); else ElementwiseRef.affine(xa, ya, a, b);
    }

    @Override
    public synchronized void axpy(float a, DeviceBuffer x, DeviceBuffer y) {
        float[] xa = f(x, "x"), ya = f(y, xa.length, "y");
        if (fast) ElementwiseFast.axpy(par, a, xa, ya); else ElementwiseRef.axpy(a, xa, ya);
    }

    @Override
    public synchronized double dot(DeviceBuffer a, DeviceBuffer b) {
        float[] aa = f(a, "a"), ba = f(b, aa.length, "b");
        return fast ? ElementwiseFast.dot(par, aa, ba) : ElementwiseRef.dot(aa, ba);
    }

    // ---------------------------------------------------------------- statistics that stay on the device

    @Override
    public synchronized void sumOfSquares(DeviceBuffer x, DeviceBuffer acc) {
        float[] xa = f(x, "x"), aa = f(acc, 1, "acc");
        if (fast) aa[0] += (float) ElementwiseFast.dot(par, xa, xa); else StatsRef.sumOfSquares(xa, aa);
    }

    @Override
    public synchronized void clipByNorm(DeviceBuffer sumOfSquares, float maxNorm, DeviceBuffer x, DeviceBuffer y) {
        float[] s = f(sumOfSquares, 1, "sumOfSquares"), xa = f(x, "x"), ya = f(y, xa.length, "y");
        StatsRef.scale(xa, ya, StatsRef.clipFactor(s[0], maxNorm));
    }

    @Override
    public void argmaxRows(int rows, int cols, DeviceBuffer x, DeviceBuffer out, long outOffset) {
        checkRowsCols("argmaxRows", rows, cols);
        float[] xa = f(x, (long) rows * cols, "x");
        int[] oa = i(out, "out");
        if (outOffset < 0 || outOffset + rows > oa.length)
            throw new IllegalArgumentException("argmaxRows: out has " + oa.length + " elements, rows " + outOffset
                    + " to " + (outOffset + rows) + " do not fit");
        StatsRef.argmaxRows(rows, cols, xa, oa, (int) outOffset);
    }

    @Override
    public void countCorrect(int rows, int cols, DeviceBuffer x, DeviceBuffer labels, DeviceBuffer count) {
        checkRowsCols("countCorrect", rows, cols);
        StatsRef.countCorrect(rows, cols, f(x, (long) rows * cols, "x"), i(labels, rows, "labels"), i(count, 1, "count"));
    }

    private static void checkRowsCols(String what, int rows, int cols) {
        if (rows < 0 || cols < 1)
            throw new IllegalArgumentException(what + ": needs rows >= 0 and cols >= 1, got " + rows + " x " + cols);
    }

    // ---------------------------------------------------------------- gemm

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     DeviceBuffer a, long aOffset, int lda, DeviceBuffer b, long bOffset, int ldb,
                     float beta, DeviceBuffer c, long cOffset, int ldc) {
        float[] af = f(a, "A"), bf = f(b, "B"), cf = f(c, "C");
        checkMatrix("A", af.length, aOffset, transA ? k : m, transA ? m : k, lda);
        checkMatrix("B", bf.length, bOffset, transB ? n : k, transB ? k : n, ldb);
        checkMatrix("C", cf.length, cOffset, m, n, ldc);
        if (fast) Sgemm.gemm(par, transA, transB, m, n, k, alpha, af, (int) aOffset, lda, bf, (int) bOffset, ldb,
                beta, cf, (int) cOffset, ldc);
        else GemmRef.gemm(transA, transB, m, n, k, alpha, af, (int) aOffset, lda, bf, (int) bOffset, ldb,
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
    public synchronized void conv2dForward(Conv2dSpec s, DeviceBuffer x, DeviceBuffer w, DeviceBuffer y) {
        float[] xa = f(x, s.xLength(), "x"), wa = f(w, s.wLength(), "w"), ya = f(y, s.yLength(), "y");
        if (fast) ConvFast.forward(par, s, xa, wa, ya); else ConvRef.forward(s, xa, wa, ya);
    }

    @Override
    public synchronized void conv2dBackwardData(Conv2dSpec s, DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx) {
        float[] dya = f(dy, s.yLength(), "dy"), wa = f(w, s.wLength(), "w"), dxa = f(dx, s.xLength(), "dx");
        if (fast) ConvFast.backwardData(par, s, dya, wa, dxa); else ConvRef.backwardData(s, dya, wa, dxa);
    }

    @Override
    public synchronized void conv2dBackwardWeight(Conv2dSpec s, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw) {
        float[] xa = f(x, s.xLength(), "x"), dya = f(dy, s.yLength(), "dy"), dwa = f(dw, s.wLength(), "dw");
        if (fast) ConvFast.backwardWeight(par, s, xa, dya, dwa); else ConvRef.backwardWeight(s, xa, dya, dwa);
    }

    // ---------------------------------------------------------------- pooling

    @Override
    public synchronized void maxPool2dForward(Pool2dSpec s, DeviceBuffer x, DeviceBuffer y, DeviceBuffer argmax) {
        float[] xa = f(x, s.xLength(), "x"), ya = f(y, s.yLength(), "y");
        int[] am = i(argmax, s.yLength(), "argmax");
        if (fast) PoolFast.maxForward(par, s, xa, ya, am); else PoolRef.maxForward(s, xa, ya, am);
    }

    @Override
    public synchronized void maxPool2dBackward(Pool2dSpec s, DeviceBuffer dy, DeviceBuffer argmax, DeviceBuffer dx) {
        float[] dya = f(dy, s.yLength(), "dy"), dxa = f(dx, s.xLength(), "dx");
        int[] am = i(argmax, s.yLength(), "argmax");
        if (fast) PoolFast.maxBackward(par, s, dya, am, dxa); else PoolRef.maxBackward(s, dya, am, dxa);
    }

    @Override
    public synchronized void avgPool2dForward(Pool2dSpec s, DeviceBuffer x, DeviceBuffer y) {
        float[] xa = f(x, s.xLength(), "x"), ya = f(y, s.yLength(), "y");
        if (fast) PoolFast.avgForward(par, s, xa, ya); else PoolRef.avgForward(s, xa, ya);
    }

    @Override
    public synchronized void avgPool2dBackward(Pool2dSpec s, DeviceBuffer dy, DeviceBuffer dx) {
        float[] dya = f(dy, s.yLength(), "dy"), dxa = f(dx, s.xLength(), "dx");
        if (fast) PoolFast.avgBackward(par, s, dya, dxa); else PoolRef.avgBackward(s, dya, dxa);
    }

    @Override
    public synchronized void globalAvgPoolForward(int n, int c, int hw, DeviceBuffer x, DeviceBuffer y) {
        float[] xa = f(x, (long) n * c * hw, "x"), ya = f(y, (long) n * c, "y");
        if (fast) PoolFast.globalAvgForward(par, n, c, hw, xa, ya); else PoolRef.globalAvgForward(n, c, hw, xa, ya);
    }

    @Override
    public synchronized void globalAvgPoolBackward(int n, int c, int hw, DeviceBuffer dy, DeviceBuffer dx) {
        float[] dya = f(dy, (long) n * c, "dy"), dxa = f(dx, (long) n * c * hw, "dx");
        if (fast) PoolFast.globalAvgBackward(par, n, c, hw, dya, dxa); else PoolRef.globalAvgBackward(n, c, hw, dya, dxa);
    }

    // ---------------------------------------------------------------- batch norm

    @Override
    public synchronized void batchNormForwardTrain(BatchNormSpec s, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta,
                                      DeviceBuffer runningMean, DeviceBuffer runningVar, DeviceBuffer y,
                                      DeviceBuffer saveMean, DeviceBuffer saveInvStd) {
        checkPair(gamma, beta, "gamma", "beta");
        checkPair(runningMean, runningVar, "running_mean", "running_var");
        if (runningMean != null && (long) s.n() * s.hw() < 2)
            throw new IllegalArgumentException("batchnorm: training needs more than 1 value per channel, got "
                    + s.n() + " x " + s.hw());
        float[] xa = f(x, s.length(), "x"), g = fOrNull(gamma, s.c(), "gamma"), b = fOrNull(beta, s.c(), "beta");
        float[] rm = fOrNull(runningMean, s.c(), "running_mean"), rv = fOrNull(runningVar, s.c(), "running_var");
        float[] ya = f(y, s.length(), "y"), sm = f(saveMean, s.c(), "saveMean"), si = f(saveInvStd, s.c(), "saveInvStd");
        if (fast) BatchNormFast.forwardTrain(par, s, xa, g, b, rm, rv, ya, sm, si);
        else BatchNormRef.forwardTrain(s, xa, g, b, rm, rv, ya, sm, si);
    }

    @Override
    public synchronized void batchNormForwardEval(BatchNormSpec s, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta,
                                     DeviceBuffer runningMean, DeviceBuffer runningVar, DeviceBuffer y) {
        checkPair(gamma, beta, "gamma", "beta");
        float[] xa = f(x, s.length(), "x"), g = fOrNull(gamma, s.c(), "gamma"), b = fOrNull(beta, s.c(), "beta");
        float[] rm = f(runningMean, s.c(), "running_mean"), rv = f(runningVar, s.c(), "running_var");
        float[] ya = f(y, s.length(), "y");
        if (fast) BatchNormFast.forwardEval(par, s, xa, g, b, rm, rv, ya); else BatchNormRef.forwardEval(s, xa, g, b, rm, rv, ya);
    }

    @Override
    public synchronized void batchNormBackward(BatchNormSpec s, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer gamma,
                                  DeviceBuffer saveMean, DeviceBuffer saveInvStd,
                                  DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta) {
        float[] xa = f(x, s.length(), "x"), dya = f(dy, s.length(), "dy"), g = fOrNull(gamma, s.c(), "gamma");
        float[] sm = f(saveMean, s.c(), "saveMean"), si = f(saveInvStd, s.c(), "saveInvStd"), dxa = f(dx, s.length(), "dx");
        float[] dg = fOrNull(dgamma, s.c(), "dgamma"), db = fOrNull(dbeta, s.c(), "dbeta");
        if (fast) BatchNormFast.backward(par, s, xa, dya, g, sm, si, dxa, dg, db);
        else BatchNormRef.backward(s, xa, dya, g, sm, si, dxa, dg, db);
    }

    private static void checkPair(DeviceBuffer a, DeviceBuffer b, String an, String bn) {
        if ((a == null) != (b == null))
            throw new IllegalArgumentException("batchnorm: " + an + " and " + bn + " must both be given or both null");
    }

    // ---------------------------------------------------------------- softmax and loss

    @Override
    public synchronized void softmaxForward(int rows, int cols, DeviceBuffer x, DeviceBuffer y) {
        long len = (long) rows * cols;
        float[] xa = f(x, len, "x"), ya = f(y, len, "y");
        if (fast) LossFast.softmax(par, rows, cols, xa, ya); else LossRef.softmax(rows, cols, xa, ya);
    }

    @Override
    public void softmaxBackward(int rows, int cols, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) {
        long len = (long) rows * cols;
        LossRef.softmaxBackward(rows, cols, f(y, len, "y"), f(dy, len, "dy"), f(dx, len, "dx"));
    }

    @Override
    public synchronized void softmaxCrossEntropyForward(int rows, int cols, DeviceBuffer logits, DeviceBuffer labels,
                                                        DeviceBuffer probs, DeviceBuffer loss) {
        long len = (long) rows * cols;
        float[] la = f(logits, len, "logits"), pa = f(probs, len, "probs"), lossa = f(loss, 1, "loss");
        int[] labs = i(labels, rows, "labels");
        LossRef.checkLabels(rows, cols, labs);
        if (fast) LossFast.crossEntropy(par, rows, cols, la, labs, pa, lossa);
        else LossRef.crossEntropy(rows, cols, la, labs, pa, lossa);
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
    public synchronized void mixedSumForward(DeviceBuffer[] xs, DeviceBuffer weights, DeviceBuffer y) {
        float[] ya = f(y, "y"), wa = f(weights, xs.length, "weights");
        float[][] xa = arrays(xs, ya.length, "xs");
        if (fast) ElementwiseFast.mixedSum(par, xa, wa, ya); else ChannelRef.mixedSum(xa, wa, ya);
    }

    @Override
    public synchronized void mixedSumBackward(DeviceBuffer[] xs, DeviceBuffer weights, DeviceBuffer dy,
                                 DeviceBuffer[] dxs, DeviceBuffer dweights) {
        float[] dya = f(dy, "dy");
        if (dxs.length != xs.length)
            throw new IllegalArgumentException("mixed sum: " + dxs.length + " gradients for " + xs.length + " inputs");
        float[][] dx = new float[dxs.length][];
        for (int k = 0; k < dxs.length; k++) dx[k] = fOrNull(dxs[k], dya.length, "dxs[" + k + "]");
        float[][] xa = arrays(xs, dya.length, "xs");
        float[] wa = f(weights, xs.length, "weights"), dw = fOrNull(dweights, xs.length, "dweights");
        if (fast) ElementwiseFast.mixedSumBackward(par, xa, wa, dya, dx, dw);
        else ChannelRef.mixedSumBackward(xa, wa, dya, dx, dw);
    }

    private float[][] arrays(DeviceBuffer[] bs, long length, String what) {
        float[][] out = new float[bs.length][];
        for (int k = 0; k < bs.length; k++) out[k] = f(bs[k], length, what + "[" + k + "]");
        return out;
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public synchronized void sgdStep(SgdSpec s, DeviceBuffer w, DeviceBuffer g, DeviceBuffer buf) {
        float[] wa = f(w, "w"), ga = f(g, wa.length, "g");
        float[] ba = s.momentum() == 0f ? null : f(buf, wa.length, "momentum buffer");
        if (fast) OptimFast.sgd(par, s, wa, ga, ba); else OptimRef.sgd(s, wa, ga, ba);
    }

    @Override
    public synchronized void adamStep(AdamSpec s, DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v) {
        float[] wa = f(w, "w"), ga = f(g, wa.length, "g"), ma = f(m, wa.length, "m"), va = f(v, wa.length, "v");
        if (fast) OptimFast.adam(par, s, wa, ga, ma, va); else OptimRef.adam(s, wa, ga, ma, va);
    }

    /** Stops the fast backend's workers; the reference holds nothing. */
    @Override
    public void close() {
        if (par != null) par.close();
    }

    @Override
    public String toString() {
        return fast ? "CpuBackend(fast, " + threads + " threads)" : "CpuBackend(reference)";
    }
}
