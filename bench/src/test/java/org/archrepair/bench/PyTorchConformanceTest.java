package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.Pool2dSpec;
import org.archrepair.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peer conformance: our CPU kernels, through {@code CpuBackend.fast(2)} and
 * {@code CpuBackend.reference()}, against PyTorch 2.7.1 CPU (through DJL, the same calls the
 * benchmarks time, see {@link Torch}) on seeded random inputs, forward and backward: conv2d
 * (stride, padding, dilation, groups, depthwise, 1x1, non-square), max pooling (with padding, tie
 * free inputs), average pooling (count_include_pad = false), batch norm in training mode (output,
 * running statistics with momentum and unbiased variance, dx/dgamma/dbeta) and eval mode, softmax,
 * mean softmax cross-entropy (loss, dlogits), gemm in all transpositions and a linear layer.
 *
 * <p>Every comparison passes {@link #assertClose}: error measured against the tensor's largest
 * magnitude, at most 1e-4. Runs offline from Maven Central jars (DJL cache under target/); skips,
 * with the reason, where libtorch cannot be loaded.
 *
 * <p>What this is not: the backend conformance suite (ours against ours), nor a timing.
 */
class PyTorchConformanceTest {

    static final double TOLERANCE = 1e-4;

    private static Torch torch;
    private static String unavailable;

    /** Which of our backends a case runs on; opened per case and closed after it. */
    enum Ours {
        FAST_2, REFERENCE;

        CpuBackend open() {
            return this == FAST_2 ? CpuBackend.fast(2) : CpuBackend.reference();
        }
    }

    @BeforeAll
    static void startPyTorch() {
        try {
            torch = Torch.start(1);
            System.out.println("PyTorchConformanceTest: oracle " + torch.version() + " CPU through DJL");
        } catch (Exception | LinkageError e) {
            unavailable = "the PyTorch native library cannot be loaded on this machine, so there is no external"
                    + " oracle: " + e;
            System.err.println("SKIPPED PyTorchConformanceTest: " + unavailable);
        }
    }

    /** Each case is reported as skipped, with the reason, where libtorch did not load. */
    @BeforeEach
    void requirePyTorch() {
        Assumptions.assumeTrue(torch != null, () -> unavailable);
    }

    @AfterAll
    static void stopPyTorch() {
        if (torch != null) torch.close();
        if (compared > 0)
            System.out.printf("PyTorchConformanceTest: %d tensors compared, worst error %.2g of scale (%s)%n",
                    compared, worstOverall, worstWhat);
    }

    /** Every case on every backend. */
    private static Stream<Arguments> on(Object... cases) {
        return Arrays.stream(Ours.values()).flatMap(o -> Arrays.stream(cases).map(c -> Arguments.of(o, c)));
    }

    // ---------------------------------------------------------------- tolerance

    /** The worst error of all comparisons of the run, printed at the end (RESULTS.md quotes it). */
    private static int compared;
    private static double worstOverall;
    private static String worstWhat = "";

    /**
     * max_i |ours_i - torch_i| / max(max_i |torch_i|, tiny) <= 1e-4: the worst error in units of
     * the tensor's largest magnitude. An elementwise relative error would be unsound: conv
     * outputs, BN's dx (zero mean per channel) and dlogits have entries near zero by
     * cancellation, where two correct float32 results differ relatively by far more than 1e-4.
     * Against the tensor's scale, float32 rounding of our sums (at most a few hundred terms
     * here) stays near 1e-6, while an indexing or formula bug shows up as an error of order 1.
     * tiny = Float.MIN_NORMAL, so an all-zero reference demands exact zeros. NaN fails.
     */
    static void assertClose(String what, float[] torchValues, float[] oursValues) {
        assertEquals(torchValues.length, oursValues.length, what + ": length");
        double scale = 0, worst = 0;
        int at = -1;
        for (int i = 0; i < oursValues.length; i++) {
            scale = Math.max(scale, Math.abs(torchValues[i]));
            double e = Math.abs((double) oursValues[i] - torchValues[i]);
            if (!(e <= worst)) {
                worst = e;
                at = i;
            }
        }
        double relative = worst / Math.max(scale, Float.MIN_NORMAL);
        compared++;
        if (!(relative <= worstOverall)) {
            worstOverall = relative;
            worstWhat = what;
        }
        String detail = at < 0 ? "" : String.format("%s: max error %.3g of scale %.3g = %.3g > %.0e, at %d: ours %s,"
                + " torch %s", what, worst, scale, relative, TOLERANCE, at, oursValues[at], torchValues[at]);
        assertTrue(relative <= TOLERANCE, detail);
    }

    private static float[] get(Backend b, DeviceBuffer buffer) {
        float[] out = new float[(int) buffer.length()];
        b.download(buffer, out);
        return out;
    }

    private static NDArray in(NDManager scope, float[] data, long... shape) {
        return scope.create(data, new Shape(shape));
    }

    // ---------------------------------------------------------------- convolution

    static Stream<Arguments> convCases() {
        return on(
                Conv2dSpec.of(2, 8, 10, 10, 12, 3, 1, 1, 1, 1),        // 3x3 pad 1
                Conv2dSpec.of(2, 6, 11, 11, 8, 3, 2, 1, 1, 1),         // stride 2, odd size
                Conv2dSpec.of(2, 4, 12, 12, 5, 3, 1, 2, 2, 1),         // dilation 2 (dil_conv_3x3)
                Conv2dSpec.of(2, 8, 9, 9, 6, 3, 1, 1, 1, 2),           // 2 groups
                Conv2dSpec.of(2, 8, 10, 10, 8, 3, 1, 1, 1, 8),         // depthwise
                Conv2dSpec.of(2, 8, 9, 9, 16, 3, 2, 1, 1, 8),          // depthwise x2 channels, stride 2
                Conv2dSpec.of(3, 16, 7, 7, 24, 1, 1, 0, 1, 1),         // 1x1
                Conv2dSpec.of(2, 16, 8, 8, 32, 1, 2, 0, 1, 1),         // 1x1 stride 2 (shortcut)
                new Conv2dSpec(2, 5, 9, 14, 7, 3, 5, 1, 2, 1, 2, 1, 2, 1),   // non-square everything
                new Conv2dSpec(2, 3, 7, 5, 4, 5, 5, 1, 1, 2, 2, 1, 1, 1),    // 5x5 on 7x5
                Conv2dSpec.of(2, 64, 8, 8, 64, 3, 1, 1, 1, 1));        // ResNet stage 3, 576-term sums
    }

    /** y = conv(x, w); dx, dw from one dy; three tensors compared. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("convCases")
    void conv2d(Ours which, Conv2dSpec s) {
        float[] x = Data.gaussian(11, (int) s.xLength(), 1f), w = Data.gaussian(12, (int) s.wLength(), 0.3f);
        float[] dy = Data.gaussian(13, (int) s.yLength(), 1f);
        float[] ty, tdx, tdw;
        try (NDManager scope = torch.scope()) {
            NDArray lx = Torch.leaf(in(scope, x, s.n(), s.c(), s.h(), s.w()), scope);
            NDArray lw = Torch.leaf(in(scope, w, s.k(), s.c() / s.groups(), s.r(), s.s()), scope);
            ty = torch.forwardBackward(() -> Torch.conv2d(s, lx, lw), in(scope, dy, s.n(), s.k(), s.p(), s.q()))
                    .toFloatArray();
            tdx = lx.getGradient().toFloatArray();
            tdw = lw.getGradient().toFloatArray();
            // The oracle checked against itself: libtorch's float32 data gradient against its float64 one.
            NDArray dx = Torch.leaf(in(scope, x, s.n(), s.c(), s.h(), s.w()).toType(DataType.FLOAT64, true), scope);
            NDArray dw = in(scope, w, s.k(), s.c() / s.groups(), s.r(), s.s()).toType(DataType.FLOAT64, true);
            torch.forwardBackward(() -> Torch.conv2d(s, dx, dw), in(scope, dy, s.n(), s.k(), s.p(), s.q()).toType(DataType.FLOAT64, true));
            double[] reference = dx.getGradient().toDoubleArray();
            double scale = 0, worst = 0;
            for (int i = 0; i < reference.length; i++) {
                scale = Math.max(scale, Math.abs(reference[i]));
                worst = Math.max(worst, Double.isNaN(tdx[i]) ? Double.POSITIVE_INFINITY : Math.abs(tdx[i] - reference[i]));
            }
            double selfError = worst / Math.max(scale, 1e-30);
            Assumptions.assumeTrue(selfError <= 1e-4, () -> "libtorch's own float32 conv data gradient is off its float64 one by "
                    + selfError + " of scale on this CPU (" + s + "): no external oracle for this case here; ConvFastTest checks ours against EJML");
        }
        try (CpuBackend b = which.open()) {
            DeviceBuffer bx = b.upload(x), bw = b.upload(w), bdy = b.upload(dy);
            DeviceBuffer y = b.allocateUninitialized(DType.F32, s.yLength()), dx = b.allocateUninitialized(DType.F32, s.xLength()),
                    dw = b.allocateUninitialized(DType.F32, s.wLength());
            b.conv2dForward(s, bx, bw, y);
            b.conv2dBackwardData(s, bdy, bw, dx);
            b.conv2dBackwardWeight(s, bx, bdy, dw);
            assertAll(() -> assertClose("y", ty, get(b, y)), () -> assertClose("dx", tdx, get(b, dx)),
                    () -> assertClose("dw", tdw, get(b, dw)));
        }
    }

    // ---------------------------------------------------------------- pooling

    static Stream<Arguments> poolCases() {
        return on(
                Pool2dSpec.of(2, 3, 9, 9, 3, 1, 1),                    // 3x3 s1 p1 (DARTS pooling)
                Pool2dSpec.of(2, 3, 8, 8, 2, 2, 0),                    // 2x2 s2
                Pool2dSpec.of(2, 3, 9, 7, 2, 2, 0),                    // floor mode drops the last row
                Pool2dSpec.of(2, 4, 11, 11, 3, 2, 1),                  // 3x3 s2 p1 (ResNet stem)
                new Pool2dSpec(2, 3, 10, 7, 3, 2, 2, 1, 1, 0));        // non-square kernel, stride, pad
    }

    /**
     * Inputs are pairwise distinct (no ties, so one argmax) and all negative, so a padding cell
     * taken as 0 instead of -infinity would win and fail.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("poolCases")
    void maxPool2d(Ours which, Pool2dSpec s) {
        float[] x = Data.distinct(21, (int) s.xLength()), dy = Data.gaussian(22, (int) s.yLength(), 1f);
        for (int i = 0; i < x.length; i++) x[i] -= 1.25f;
        float[] ty, tdx;
        try (NDManager scope = torch.scope()) {
            NDArray lx = Torch.leaf(in(scope, x, s.n(), s.c(), s.h(), s.w()), scope);
            ty = torch.forwardBackward(() -> Torch.maxPool2d(s, lx), in(scope, dy, s.n(), s.c(), s.p(), s.q()))
                    .toFloatArray();
            tdx = lx.getGradient().toFloatArray();
        }
        try (CpuBackend b = which.open()) {
            DeviceBuffer y = b.allocateUninitialized(DType.F32, s.yLength()), argmax = b.allocateUninitialized(DType.I32, s.yLength());
            DeviceBuffer dx = b.allocateUninitialized(DType.F32, s.xLength());
            b.maxPool2dForward(s, b.upload(x), y, argmax);
            b.maxPool2dBackward(s, b.upload(dy), argmax, dx);
            assertAll(() -> assertClose("y", ty, get(b, y)), () -> assertClose("dx", tdx, get(b, dx)));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("poolCases")
    void avgPool2dExcludingPadding(Ours which, Pool2dSpec s) {
        float[] x = Data.gaussian(31, (int) s.xLength(), 1f), dy = Data.gaussian(32, (int) s.yLength(), 1f);
        float[] ty, tdx;
        try (NDManager scope = torch.scope()) {
            NDArray lx = Torch.leaf(in(scope, x, s.n(), s.c(), s.h(), s.w()), scope);
            ty = torch.forwardBackward(() -> Torch.avgPool2d(s, lx), in(scope, dy, s.n(), s.c(), s.p(), s.q()))
                    .toFloatArray();
            tdx = lx.getGradient().toFloatArray();
        }
        try (CpuBackend b = which.open()) {
            DeviceBuffer y = b.allocateUninitialized(DType.F32, s.yLength()), dx = b.allocateUninitialized(DType.F32, s.xLength());
            b.avgPool2dForward(s, b.upload(x), y);
            b.avgPool2dBackward(s, b.upload(dy), dx);
            assertAll(() -> assertClose("y", ty, get(b, y)), () -> assertClose("dx", tdx, get(b, dx)));
        }
    }

    // ---------------------------------------------------------------- batch norm

    /** A spec and whether it is affine (gamma, beta) or not (ours: null; torch: ones and zeros). */
    record BnCase(BatchNormSpec spec, boolean affine) {
        @Override
        public String toString() {
            return spec + (affine ? "" : " affine=false");
        }
    }

    static Stream<Arguments> batchNormCases() {
        return on(new BnCase(BatchNormSpec.of(4, 6, 25), true),
                new BnCase(BatchNormSpec.of(8, 3, 1), true),                     // BatchNorm1d-like
                new BnCase(new BatchNormSpec(4, 5, 9, 1e-3f, 0.3f), true),       // other eps, momentum
                new BnCase(BatchNormSpec.of(3, 4, 16), false),
                new BnCase(BatchNormSpec.of(2, 16, 64), true));
    }

    /** Per-channel offsets and scales, so the batch statistics are far from 0 and 1. */
    private static float[] activations(BatchNormSpec s) {
        float[] x = Data.gaussian(41, (int) s.length(), 1f);
        for (int i = 0; i < x.length; i++) {
            int ch = (i / s.hw()) % s.c();
            x[i] = x[i] * (0.5f + ch) + 3f - ch;
        }
        return x;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    /**
     * Training mode: y, the updated running mean and var, then dx, dgamma, dbeta from one dy
     * (without affine, dgamma and dbeta are still defined: the gradients at gamma = 1, beta = 0).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("batchNormCases")
    void batchNormTrain(Ours which, BnCase bn) {
        BatchNormSpec s = bn.spec();
        int c = s.c();
        float[] x = activations(s), dy = Data.gaussian(42, (int) s.length(), 1f);
        float[] gamma = bn.affine() ? Data.uniform(43, c, 0.5f, 1.5f) : filled(c, 1f);
        float[] beta = bn.affine() ? Data.gaussian(44, c, 0.5f) : filled(c, 0f);
        float[] mean0 = Data.gaussian(45, c, 1f), var0 = Data.uniform(46, c, 0.5f, 2f);
        float[][] t = torchBatchNormTrain(s, x, dy, gamma, beta, mean0, var0);
        try (CpuBackend b = which.open()) {
            DeviceBuffer bx = b.upload(x), g = bn.affine() ? b.upload(gamma) : null, be = bn.affine() ? b.upload(beta) : null;
            DeviceBuffer rm = b.upload(mean0), rv = b.upload(var0), y = b.allocateUninitialized(DType.F32, s.length());
            DeviceBuffer mean = b.allocateUninitialized(DType.F32, c), invStd = b.allocateUninitialized(DType.F32, c);
            DeviceBuffer dx = b.allocateUninitialized(DType.F32, s.length()), dg = b.allocateUninitialized(DType.F32, c), db = b.allocateUninitialized(DType.F32, c);
            b.batchNormForwardTrain(s, bx, g, be, rm, rv, y, mean, invStd);
            b.batchNormBackward(s, bx, b.upload(dy), g, mean, invStd, dx, dg, db);
            assertAll(() -> assertClose("y", t[0], get(b, y)), () -> assertClose("running_mean", t[1], get(b, rm)),
                    () -> assertClose("running_var", t[2], get(b, rv)), () -> assertClose("dx", t[3], get(b, dx)),
                    () -> assertClose("dgamma", t[4], get(b, dg)), () -> assertClose("dbeta", t[5], get(b, db)));
        }
    }

    /** {y, running_mean, running_var, dx, dgamma, dbeta} from torch. */
    private static float[][] torchBatchNormTrain(BatchNormSpec s, float[] x, float[] dy, float[] gamma, float[] beta,
                                                 float[] mean0, float[] var0) {
        try (NDManager scope = torch.scope()) {
            NDArray lx = Torch.leaf(in(scope, x, s.n(), s.c(), s.hw()), scope);
            NDArray lg = Torch.leaf(in(scope, gamma, s.c()), scope), lb = Torch.leaf(in(scope, beta, s.c()), scope);
            NDArray rm = in(scope, mean0, s.c()), rv = in(scope, var0, s.c());
            float[] y = torch.forwardBackward(() -> Torch.batchNorm(s, lx, lg, lb, rm, rv, true),
                    in(scope, dy, s.n(), s.c(), s.hw())).toFloatArray();
            return new float[][] {y, rm.toFloatArray(), rv.toFloatArray(), lx.getGradient().toFloatArray(),
                    lg.getGradient().toFloatArray(), lb.getGradient().toFloatArray()};
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("batchNormCases")
    void batchNormEval(Ours which, BnCase bn) {
        BatchNormSpec s = bn.spec();
        int c = s.c();
        float[] x = activations(s), mean = Data.gaussian(51, c, 2f), var = Data.uniform(52, c, 0.5f, 4f);
        float[] gamma = bn.affine() ? Data.uniform(53, c, 0.5f, 1.5f) : filled(c, 1f);
        float[] beta = bn.affine() ? Data.gaussian(54, c, 0.5f) : filled(c, 0f);
        float[] ty;
        try (NDManager scope = torch.scope()) {
            ty = Torch.batchNorm(s, in(scope, x, s.n(), c, s.hw()), in(scope, gamma, c), in(scope, beta, c),
                    in(scope, mean, c), in(scope, var, c), false).toFloatArray();
        }
        try (CpuBackend b = which.open()) {
            DeviceBuffer y = b.allocateUninitialized(DType.F32, s.length());
            b.batchNormForwardEval(s, b.upload(x), bn.affine() ? b.upload(gamma) : null,
                    bn.affine() ? b.upload(beta) : null, b.upload(mean), b.upload(var), y);
            assertClose("y", ty, get(b, y));
        }
    }

    // ---------------------------------------------------------------- softmax and loss

    /** rows x cols logits drawn from N(0, scale^2); scale 30 tests the max-subtraction. */
    record Logits(int rows, int cols, float scale) {
    }

    static Stream<Arguments> logitCases() {
        return on(new Logits(16, 10, 3f), new Logits(8, 5, 30f), new Logits(32, 200, 2f), new Logits(1, 3, 1f));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("logitCases")
    void softmaxCrossEntropyMean(Ours which, Logits l) {
        float[] logits = Data.gaussian(61, l.rows() * l.cols(), l.scale());
        int[] labels = Data.labels(62, l.rows(), l.cols());
        float[] tloss, tdlogits;
        try (NDManager scope = torch.scope()) {
            NDArray lx = Torch.leaf(in(scope, logits, l.rows(), l.cols()), scope);
            NDArray index = torch.indices(labels, l.rows(), 1);
            index.attach(scope);
            tloss = torch.forwardBackward(() -> Torch.crossEntropy(lx, index), in(scope, new float[] {1f}))
                    .toFloatArray();
            tdlogits = lx.getGradient().toFloatArray();
        }
        try (CpuBackend b = which.open()) {
            DeviceBuffer bl = b.upload(labels), probs = b.allocateUninitialized(DType.F32, (long) l.rows() * l.cols());
            DeviceBuffer loss = b.allocateUninitialized(DType.F32, 1), dlogits = b.allocateUninitialized(DType.F32, (long) l.rows() * l.cols());
            b.softmaxCrossEntropyForward(l.rows(), l.cols(), b.upload(logits), bl, probs, loss);
            b.softmaxCrossEntropyBackward(l.rows(), l.cols(), probs, bl, b.upload(new float[] {1f}), dlogits);
            assertAll(() -> assertClose("loss", tloss, get(b, loss)),
                    () -> assertClose("dlogits", tdlogits, get(b, dlogits)));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("logitCases")
    void softmax(Ours which, Logits l) {
        float[] x = Data.gaussian(71, l.rows() * l.cols(), l.scale()), dy = Data.gaussian(72, x.length, 1f);
        float[] ty, tdx;
        try (NDManager scope = torch.scope()) {
            NDArray lx = Torch.leaf(in(scope, x, l.rows(), l.cols()), scope);
            ty = torch.forwardBackward(() -> lx.softmax(1), in(scope, dy, l.rows(), l.cols())).toFloatArray();
            tdx = lx.getGradient().toFloatArray();
        }
        try (CpuBackend b = which.open()) {
            DeviceBuffer y = b.allocateUninitialized(DType.F32, x.length), dx = b.allocateUninitialized(DType.F32, x.length);
            b.softmaxForward(l.rows(), l.cols(), b.upload(x), y);
            b.softmaxBackward(l.rows(), l.cols(), y, b.upload(dy), dx);
            assertAll(() -> assertClose("y", ty, get(b, y)), () -> assertClose("dx", tdx, get(b, dx)));
        }
    }

    // ---------------------------------------------------------------- gemm and linear

    /** C = alpha op(A) op(B) + beta C with A, B, C stored with padded leading dimensions at an offset. */
    record GemmCase(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, int pad) {
    }

    static Stream<Arguments> gemmCases() {
        return on(new GemmCase(false, false, 13, 17, 11, 1f, 0f, 0), new GemmCase(false, true, 13, 17, 11, 0.7f, 0.3f, 3),
                new GemmCase(true, false, 13, 17, 11, -1.5f, 1f, 2), new GemmCase(true, true, 9, 5, 23, 0.5f, -2f, 1),
                new GemmCase(false, false, 250, 70, 600, 1f, 0f, 0), new GemmCase(true, true, 70, 250, 600, 1f, 1f, 4),
                new GemmCase(false, false, 1, 300, 64, 1f, 0f, 0));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("gemmCases")
    void gemm(Ours which, GemmCase g) {
        int aRows = g.transA() ? g.k() : g.m(), aCols = g.transA() ? g.m() : g.k();
        int bRows = g.transB() ? g.n() : g.k(), bCols = g.transB() ? g.k() : g.n();
        float[] a = Data.gaussian(81, aRows * aCols, 1f), bm = Data.gaussian(82, bRows * bCols, 1f);
        float[] c = Data.gaussian(83, g.m() * g.n(), 1f);
        float[] expected;
        try (NDManager scope = torch.scope()) {
            NDArray ta = in(scope, a, aRows, aCols), tb = in(scope, bm, bRows, bCols);
            NDArray product = (g.transA() ? ta.transpose() : ta).matMul(g.transB() ? tb.transpose() : tb);
            expected = product.mul(g.alpha()).add(in(scope, c, g.m(), g.n()).mul(g.beta())).toFloatArray();
        }
        int lda = aCols + g.pad(), ldb = bCols + g.pad(), ldc = g.n() + g.pad(), offset = 5 * g.pad();
        try (CpuBackend b = which.open()) {
            DeviceBuffer bc = b.upload(padded(c, g.m(), g.n(), ldc, offset));
            b.gemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.alpha(), b.upload(padded(a, aRows, aCols, lda, offset)),
                    offset, lda, b.upload(padded(bm, bRows, bCols, ldb, offset)), offset, ldb, g.beta(), bc, offset, ldc);
            assertClose("C", expected, unpadded(get(b, bc), g.m(), g.n(), ldc, offset));
        }
    }

    /** rows x cols stored with leading dimension ld after offset elements; the gaps hold NaN, which must not leak. */
    private static float[] padded(float[] dense, int rows, int cols, int ld, int offset) {
        float[] out = new float[offset + rows * ld];
        Arrays.fill(out, Float.NaN);
        for (int r = 0; r < rows; r++) System.arraycopy(dense, r * cols, out, offset + r * ld, cols);
        return out;
    }

    private static float[] unpadded(float[] stored, int rows, int cols, int ld, int offset) {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) System.arraycopy(stored, offset + r * ld, out, r * cols, cols);
        return out;
    }

    record LinearCase(int batch, int in, int out) {
    }

    static Stream<Arguments> linearCases() {
        return on(new LinearCase(16, 64, 10), new LinearCase(5, 7, 3), new LinearCase(128, 256, 100));
    }

    /** y = x W^T + b as our engine composes it (gemm with beta = 1 over broadcast b), dx = dy W, dW = dy^T x, db = sum dy. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("linearCases")
    void linear(Ours which, LinearCase l) {
        float[] x = Data.gaussian(91, l.batch() * l.in(), 1f), w = Data.gaussian(92, l.out() * l.in(), 0.2f);
        float[] bias = Data.gaussian(93, l.out(), 1f), dy = Data.gaussian(94, l.batch() * l.out(), 1f);
        float[][] t = torchLinear(l, x, w, bias, dy);
        try (CpuBackend b = which.open()) {
            DeviceBuffer bx = b.upload(x), bw = b.upload(w), bdy = b.upload(dy), y = b.upload(repeatRows(bias, l.batch()));
            DeviceBuffer dx = b.allocateUninitialized(DType.F32, x.length), dw = b.allocateUninitialized(DType.F32, w.length), db = b.allocateUninitialized(DType.F32, l.out());
            b.gemm(false, true, l.batch(), l.out(), l.in(), 1f, bx, 0, l.in(), bw, 0, l.in(), 1f, y, 0, l.out());
            b.gemm(false, false, l.batch(), l.in(), l.out(), 1f, bdy, 0, l.out(), bw, 0, l.in(), 0f, dx, 0, l.in());
            b.gemm(true, false, l.out(), l.in(), l.batch(), 1f, bdy, 0, l.out(), bx, 0, l.in(), 0f, dw, 0, l.in());
            b.sumTo(new int[] {l.batch(), l.out()}, bdy, new int[] {1, l.out()}, db);
            assertAll(() -> assertClose("y", t[0], get(b, y)), () -> assertClose("dx", t[1], get(b, dx)),
                    () -> assertClose("dW", t[2], get(b, dw)), () -> assertClose("db", t[3], get(b, db)));
        }
    }

    /** {y, dx, dW, db} from torch's linear and autograd. */
    private static float[][] torchLinear(LinearCase l, float[] x, float[] w, float[] bias, float[] dy) {
        try (NDManager scope = torch.scope()) {
            NDArray lx = Torch.leaf(in(scope, x, l.batch(), l.in()), scope);
            NDArray lw = Torch.leaf(in(scope, w, l.out(), l.in()), scope), lb = Torch.leaf(in(scope, bias, l.out()), scope);
            float[] y = torch.forwardBackward(() -> Linear.linear(lx, lw, lb).singletonOrThrow(),
                    in(scope, dy, l.batch(), l.out())).toFloatArray();
            return new float[][] {y, lx.getGradient().toFloatArray(), lw.getGradient().toFloatArray(),
                    lb.getGradient().toFloatArray()};
        }
    }

    /** v repeated as rows rows. */
    private static float[] repeatRows(float[] v, int rows) {
        float[] out = new float[rows * v.length];
        for (int r = 0; r < rows; r++) System.arraycopy(v, 0, out, r * v.length, v.length);
        return out;
    }
}
