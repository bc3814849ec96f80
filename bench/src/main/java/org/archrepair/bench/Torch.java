package org.archrepair.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.Pool2dSpec;

import java.util.function.Supplier;

/**
 * PyTorch CPU through DJL, the peer of the benchmarks and the oracle of the conformance test: one
 * started engine with a base {@link NDManager}, plus the few torch calls we compare with, each
 * mapped from our spec records in one place so that the benchmarks time exactly the calls that the
 * conformance test checks.
 *
 * <p>What this is not: a backend of ours, nor a general DJL wrapper; nothing outside bench uses it.
 *
 * <p>Facts it relies on (checked in DJL 0.36.0 / PyTorch 2.7.1):
 * <ul>
 *   <li>The PyTorch engine is eager: a call returns after libtorch computed the result on the
 *       calling thread and its OpenMP workers, so timing a call times the work (unlike MXNet's
 *       lazy engine). The conformance test reads every result back, the benchmarks consume it.
 *   <li>Every NDArray holds native memory until closed. Results attach to the manager of their
 *       first input; callers close them per call, or open a {@link #scope()} and close that.
 *   <li>Intra-op threads are set once per JVM at engine start from {@code ai.djl.pytorch.num_threads};
 *       {@link #start} sets it and then checks what libtorch really runs.
 *   <li>PyTorch accumulates into {@code .grad}; {@link #leaf} makes a fresh leaf per call instead,
 *       as {@code zero_grad(set_to_none=True)} does, so no accumulation pass is timed.
 * </ul>
 */
public final class Torch implements AutoCloseable {

    public static final String ENGINE = "PyTorch";

    private final Engine engine;
    private final NDManager manager;

    private Torch(Engine engine) {
        this.engine = engine;
        this.manager = NDManager.newBaseManager(Device.cpu(), ENGINE);
    }

    /**
     * Starts PyTorch with {@code threads} intra-op threads and one inter-op thread. The thread
     * count is fixed when the engine first starts in a JVM, so this fails if it was started
     * earlier with another count (JMH with {@code -f 0}, or two thread counts in one test JVM).
     */
    public static Torch start(int threads) {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine engine = Engine.getEngine(ENGINE);
        int actual = JniUtils.getNumThreads();
        if (actual != threads)
            throw new IllegalStateException("PyTorch runs " + actual + " intra-op threads, asked for " + threads
                    + ": its engine was started earlier in this JVM (run JMH with forks >= 1)");
        return new Torch(engine);
    }

    /** "PyTorch 2.7.1" */
    public String version() {
        return engine.getEngineName() + " " + engine.getVersion();
    }

    /** A float32 array of the given shape holding a copy of data, owned by the base manager. */
    public NDArray array(float[] data, long... shape) {
        return manager.create(data, new Shape(shape));
    }

    /** An int64 array (torch's index type) holding a copy of data. */
    public NDArray indices(int[] data, long... shape) {
        try (NDArray i32 = manager.create(data, new Shape(shape))) {
            return i32.toType(DataType.INT64, true);
        }
    }

    /** A child manager: whatever is attached to it is freed when it closes. */
    public NDManager scope() {
        return manager.newSubManager();
    }

    /**
     * Runs forward with gradient recording on (grad mode is per thread in PyTorch), then
     * y.backward(dy) on its result y, and returns y. Gradients land in the leaves ({@link #leaf})
     * it used; y belongs to the manager of forward's first input.
     */
    public NDArray forwardBackward(Supplier<NDArray> forward, NDArray dy) {
        GradientCollector recording = engine.newGradientCollector();
        try {
            NDArray y = forward.get();
            backward(y, dy);
            return y;
        } finally {
            recording.close();
        }
    }

    /** A leaf sharing a's storage that records a fresh gradient (a's own .grad is untouched). */
    public static NDArray leaf(NDArray a, NDManager scope) {
        NDArray leaf = a.stopGradient();
        leaf.attach(scope);
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /** y.backward(dy): the vector-Jacobian product with the given output gradient, no extra ops. */
    private static void backward(NDArray y, NDArray dy) {
        JniUtils.backward((PtNDArray) y, (PtNDArray) dy, false, false);
    }

    /** torch.conv2d(x, w, bias=None, ...). x: (n, c, h, w), w: (k, c/groups, r, s) -> (n, k, p, q). */
    public static NDArray conv2d(Conv2dSpec s, NDArray x, NDArray w) {
        return Conv2d.conv2d(x, w, null, new Shape(s.strideH(), s.strideW()), new Shape(s.padH(), s.padW()),
                new Shape(s.dilH(), s.dilW()), s.groups()).singletonOrThrow();
    }

    /** F.max_pool2d(x, kernel, stride, padding, ceil_mode=False). x: (n, c, h, w) -> (n, c, p, q). */
    public static NDArray maxPool2d(Pool2dSpec s, NDArray x) {
        return Pool.maxPool2d(x, new Shape(s.kernelH(), s.kernelW()), new Shape(s.strideH(), s.strideW()),
                new Shape(s.padH(), s.padW()), false);
    }

    /**
     * F.avg_pool2d(x, ..., ceil_mode=False, count_include_pad=True), libtorch's kernel as DJL can
     * call it: DJL 0.36's JNI (torchNNAvgPool) drops its count_include_pad argument, so False
     * cannot be asked for. The work is the same either way (only the divisor of border windows
     * differs), so the benchmarks time this call. x: (n, c, h, w) -> (n, c, p, q).
     */
    public static NDArray avgPool2dIncludingPadding(Pool2dSpec s, NDArray x) {
        return Pool.avgPool2d(x, new Shape(s.kernelH(), s.kernelW()), new Shape(s.strideH(), s.strideW()),
                new Shape(s.padH(), s.padW()), false, true);
    }

    /**
     * F.avg_pool2d(..., count_include_pad=False), our semantics, built from the call above:
     * avg_incl(x) / avg_incl(ones) = (sum / window) / (in-image count / window), exact up to
     * rounding because padding adds zeros; autograd flows through the division. The oracle for
     * our avgPool2dForward/Backward.
     */
    public static NDArray avgPool2d(Pool2dSpec s, NDArray x) {
        try (NDArray ones = x.getManager().ones(new Shape(1, 1, s.h(), s.w()));
             NDArray inImageFraction = avgPool2dIncludingPadding(s, ones);
             NDArray averageWithZeros = avgPool2dIncludingPadding(s, x)) {
            return averageWithZeros.div(inImageFraction);
        }
    }

    /**
     * F.batch_norm(x, running_mean, running_var, gamma, beta, training, momentum, eps) with
     * PyTorch's momentum convention (0.1 moves 10% towards the batch statistics). In training the
     * running statistics are updated in place. x: (n, c, hw); the others: (c). DJL's public
     * BatchNorm takes the complementary momentum (0.9); calling libtorch directly avoids that trap.
     * libtorch needs all four (c) arrays: pass ones and zeros for affine = false.
     */
    public static NDArray batchNorm(BatchNormSpec s, NDArray x, NDArray gamma, NDArray beta,
                                    NDArray runningMean, NDArray runningVar, boolean training) {
        return JniUtils.batchNorm((PtNDArray) x, (PtNDArray) runningMean, (PtNDArray) runningVar,
                (PtNDArray) gamma, (PtNDArray) beta, training, s.momentum(), s.eps());
    }

    /**
     * F.cross_entropy(logits, labels) (mean over rows) composed as -mean(gather(log_softmax(logits),
     * labels)): DJL exposes no nll_loss. logits: (rows, cols), labels: int64 (rows, 1) -> scalar.
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        try (NDArray logProbs = logits.logSoftmax(1); NDArray picked = logProbs.gather(labels, 1);
             NDArray mean = picked.mean()) {
            return mean.neg();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
