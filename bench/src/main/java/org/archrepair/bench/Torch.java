package org.archrepair.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.index.NDIndex;
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

    /** A float32 array of the given shape holding a copy of data, owned by owner (freed when it closes). */
    public static NDArray array(NDManager owner, float[] data, long... shape) {
        return owner.create(data, new Shape(shape));
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

    /**
     * a.detach() attached to scope: the same storage, recording nothing. Results attach to the
     * manager of an op's first input, so a forward pass that starts from this view leaves every
     * intermediate in scope, even when a itself lives as long as the engine.
     */
    public static NDArray constant(NDArray a, NDManager scope) {
        NDArray view = a.stopGradient();
        view.attach(scope);
        return view;
    }

    /**
     * torch.no_grad() on this thread until closed (grad mode is per thread in PyTorch; DJL switches
     * it off on the thread that starts the engine only).
     */
    public static NoGrad noGrad() {
        boolean prior = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        return () -> JniUtils.setGradMode(prior);
    }

    /** Restores the thread's grad mode when closed. */
    public interface NoGrad extends AutoCloseable {
        @Override
        void close();
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

    /** F.relu(x), not in place. */
    public static NDArray relu(NDArray x) {
        return JniUtils.relu((PtNDArray) x);
    }

    /**
     * The option-A shortcut of He et al. as akamaster writes it:
     * F.pad(x[:, :, ::stride, ::stride], (0, 0, 0, 0, pad, pad)), i.e. subsampled and zero-padded by
     * pad channels on each side. x: (n, c, h, w) -> (n, c + 2 pad, ceil(h / stride), ceil(w / stride)).
     */
    public static NDArray subsamplePadChannels(NDArray x, int stride, int pad) {
        try (NDArray sub = x.get(new NDIndex(":, :, ::{}, ::{}", stride, stride))) {
            return JniUtils.pad((PtNDArray) sub, new long[]{0, 0, 0, 0, pad, pad}, 0);
        }
    }

    /** F.avg_pool2d(x, (h, w)).flatten(1): the mean of each channel. x: (n, c, h, w) -> (n, c). */
    public static NDArray globalAvgPool(NDArray x) {
        Shape s = x.getShape();
        Shape window = new Shape(s.get(2), s.get(3));
        try (NDArray pooled = Pool.avgPool2d(x, window, window, new Shape(0, 0), false, true)) {
            return pooled.reshape(s.get(0), s.get(1));
        }
    }

    /** F.linear(x, w, b) = x w^T + b. x: (n, in), w: (out, in), b: (out) -> (n, out). */
    public static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return JniUtils.linear((PtNDArray) x, (PtNDArray) w, (PtNDArray) b);
    }

    /**
     * One in-place SGD step of w with gradient g, through DJL's native optimizer kernel (one JNI call,
     * libtorch ops inside): state = momentum state + lr (g + wd w); w -= state. This is
     * torch.optim.SGD (momentum, weight decay, no dampening or Nesterov) with its buffer kept
     * multiplied by lr: the same iterates for a constant lr, up to rounding, and on the first step
     * exactly (state starts at zero, torch's buffer at the first gradient). w, g, state: same shape.
     */
    public static void sgdUpdate(NDArray w, NDArray g, NDArray state, float lr, float momentum, float weightDecay) {
        float rescale = 1f, noClipping = -1f;   // DJL's native kernel clips only when clip >= 0
        JniUtils.sgdUpdate((PtNDArray) w, (PtNDArray) g, (PtNDArray) state, lr, weightDecay, rescale, noClipping,
                momentum);
    }

    @Override
    public void close() {
        manager.close();
    }
}
