package org.archrepair.engine.functions;

import org.archrepair.engine.GradCheck;
import org.archrepair.engine.Ops;
import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.TestDevices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import java.util.function.Function;

/**
 * Finite-difference check of every differentiable function, on tiny random inputs kept off kinks, on
 * every test device ({@link TestDevices}: the CPU reference, the CUDA emulator, a GPU where there is one).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.archrepair.kernels.TestDevices#all")
class GradientCheckTest {
    @Parameter
    String device;
    private Backend be;

    @BeforeEach
    void openDevice() {
        be = TestDevices.open(device);
    }
    private final Rng rng = new Rng(7);

    private Tensor normal(int... shape) {
        return Tensor.of(be, rng.normal((int) Tensor.volume(shape), 1f), shape);
    }

    /** Values with |x| >= 0.2, so a step of 1e-2 max(|x|, 1) never crosses a kink at 0. */
    private Tensor offZero(int... shape) {
        float[] v = rng.normal((int) Tensor.volume(shape), 1f);
        for (int i = 0; i < v.length; i++) v[i] = Math.copySign(Math.abs(v[i]) + 0.2f, v[i]);
        return Tensor.of(be, v, shape);
    }

    /** Distinct values 0.1 apart in random order (no pooling ties, steps never reorder them). */
    private Tensor distinct(int... shape) {
        int n = (int) Tensor.volume(shape);
        int[] perm = rng.permutation(n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (perm[i] - n / 2f) * 0.1f;
        return Tensor.of(be, v, shape);
    }

    private Tensor positive(int... shape) {
        return Tensor.of(be, rng.uniform((int) Tensor.volume(shape), 0.5f, 2f), shape);
    }

    @ParameterizedTest
    @CsvSource({"ADD", "SUB", "MUL", "DIV"})
    void arithmeticWithBroadcasting(String op) {
        Tensor a = normal(2, 3, 4), b = op.equals("DIV") ? offZero(3, 1) : normal(3, 1);
        Function<List<Tensor>, Tensor> f = in -> switch (op) {
            case "ADD" -> Ops.add(in.get(0), in.get(1));
            case "SUB" -> Ops.sub(in.get(0), in.get(1));
            case "MUL" -> Ops.mul(in.get(0), in.get(1));
            default -> Ops.div(in.get(0), in.get(1));
        };
        GradCheck.check(op, be, f, List.of(a, b), 1);
        Tensor c = normal(1, 4), d = op.equals("DIV") ? offZero(3, 1) : normal(3, 1);   // both sides broadcast
        GradCheck.check(op + " both broadcast", be, f, List.of(c, d), 2);
    }

    @Test
    void elementwise() {
        GradCheck.check("affine", be, in -> Ops.affine(in.get(0), -1.5f, 0.25f), List.of(normal(3, 4)), 3);
        GradCheck.check("relu", be, in -> Ops.relu(in.get(0)), List.of(offZero(3, 4)), 4);
        GradCheck.check("abs", be, in -> Ops.abs(in.get(0)), List.of(offZero(3, 4)), 14);
        GradCheck.check("exp", be, in -> Ops.exp(in.get(0)), List.of(normal(3, 4)), 5);
        GradCheck.check("log", be, in -> Ops.log(in.get(0)), List.of(positive(3, 4)), 6);
    }

    @Test
    void reductionsAndShapes() {
        GradCheck.check("sumTo", be, in -> Ops.sumTo(in.get(0), 1, 3, 1), List.of(normal(2, 3, 4)), 7);
        GradCheck.check("sum", be, in -> Ops.sum(in.get(0)), List.of(normal(2, 3)), 8);
        GradCheck.check("mean", be, in -> Ops.mean(in.get(0)), List.of(normal(2, 3)), 9);
        GradCheck.check("reshape", be, in -> Ops.mul(Ops.reshape(in.get(0), 6, -1), Ops.reshape(in.get(0), 6, 2)),
                List.of(normal(3, 4)), 10);
    }

    @Test
    void linearAndMatmul() {
        GradCheck.check("linear", be, in -> Ops.linear(in.get(0), in.get(1), in.get(2)),
                List.of(normal(4, 5), normal(3, 5), normal(3)), 11);
        GradCheck.check("linear no bias", be, in -> Ops.linear(in.get(0), in.get(1), null),
                List.of(normal(2, 3), normal(4, 3)), 12);
        GradCheck.check("matmul", be, in -> Ops.matmul(in.get(0), in.get(1)), List.of(normal(3, 4), normal(4, 2)), 13);
    }

    @ParameterizedTest(name = "conv2d c{0} k{1} kernel{2} stride{3} pad{4} dil{5} groups{6}")
    @CsvSource({
            "3, 4, 3, 1, 1, 1, 1",
            "4, 2, 3, 2, 1, 1, 1",
            "2, 3, 1, 2, 0, 1, 1",
            "4, 4, 3, 1, 2, 2, 1",
            "4, 6, 3, 1, 1, 1, 2",
            "4, 4, 3, 2, 1, 1, 4",
            "3, 3, 5, 1, 4, 2, 3"})
    void conv2d(int c, int k, int kernel, int stride, int pad, int dil, int groups) {
        GradCheck.check("conv2d", be, in -> Ops.conv2d(in.get(0), in.get(1), stride, pad, dil, groups),
                List.of(normal(2, c, 5, 6), normal(k, c / groups, kernel, kernel)), 14);
    }

    @ParameterizedTest(name = "pool kernel {0} stride {1} pad {2}")
    @CsvSource({"3, 1, 1", "2, 2, 0", "3, 2, 1", "1, 2, 0"})
    void pooling(int kernel, int stride, int pad) {
        GradCheck.check("max pool", be, in -> Ops.maxPool2d(in.get(0), kernel, stride, pad), List.of(distinct(1, 2, 5, 5)), 15);
        GradCheck.check("avg pool", be, in -> Ops.avgPool2d(in.get(0), kernel, stride, pad), List.of(normal(2, 2, 5, 5)), 16);
    }

    @Test
    void globalAveragePool() {
        GradCheck.check("global avg pool", be, in -> Ops.globalAvgPool(in.get(0)), List.of(normal(2, 3, 3, 4)), 17);
    }

    @Test
    void batchNormTrainAndEval() {
        Tensor rm = Tensor.zeros(be, 3), rv = Tensor.full(be, 1f, 3);
        GradCheck.check("batch norm train", be,
                in -> Ops.batchNormTrain(in.get(0), in.get(1), in.get(2), rm, rv, 1e-5f, 0.1f),
                List.of(normal(4, 3, 2, 2), positive(3), normal(3)), 18);
        GradCheck.check("batch norm train, no affine, (n, c)", be,
                in -> Ops.batchNormTrain(in.get(0), null, null, null, null, 1e-5f, 0.1f), List.of(normal(5, 3)), 19);
        Tensor mean = normal(3), var = positive(3);
        GradCheck.check("batch norm eval", be,
                in -> Ops.batchNormEval(in.get(0), in.get(1), in.get(2), mean, var, 1e-5f),
                List.of(normal(2, 3, 2, 2), normal(3), normal(3)), 20);
    }

    @Test
    void lossAndSoftmax() {
        Tensor labels = Tensor.ofInts(be, new int[]{0, 4, 2, 2}, 4);
        GradCheck.check("cross entropy", be, in -> Ops.crossEntropy(in.get(0), labels), List.of(normal(4, 5)), 21);
        GradCheck.check("softmax", be, in -> Ops.softmax(in.get(0)), List.of(normal(3, 6)), 22);
    }

    @Test
    void channelOps() {
        GradCheck.check("concat", be, in -> Ops.concatChannels(List.of(in.get(0), in.get(1))),
                List.of(normal(2, 2, 3, 3), normal(2, 3, 3, 3)), 23);
        GradCheck.check("narrow", be, in -> Ops.narrowChannels(in.get(0), 1, 2), List.of(normal(2, 4, 2, 3)), 24);
        GradCheck.check("shuffle", be, in -> Ops.channelShuffle(in.get(0), 2), List.of(normal(2, 6, 2, 2)), 25);
        GradCheck.check("pad channels", be, in -> Ops.padChannels(in.get(0), 2, 2), List.of(normal(2, 3, 2, 2)), 26);
        GradCheck.check("subsample", be, in -> Ops.subsample(in.get(0), 2), List.of(normal(2, 2, 5, 4)), 27);
    }

    @Test
    void mixedSumOverInputsAndWeights() {
        GradCheck.check("mixed sum", be, in -> Ops.mixedSum(List.of(in.get(0), in.get(1), in.get(2)), in.get(3)),
                List.of(normal(2, 3, 2, 2), normal(2, 3, 2, 2), normal(2, 3, 2, 2), normal(3)), 28);
        GradCheck.check("mixed sum of softmax(alpha)", be,
                in -> Ops.mixedSum(List.of(in.get(0), in.get(1)), Ops.softmax(in.get(2))),
                List.of(normal(2, 4), normal(2, 4), normal(2)), 29);
    }

    @ParameterizedTest(name = "stride {0}, dilation {1}, groups {2}")
    @CsvSource({"1, 1, 1", "2, 1, 1", "1, 2, 2"})
    void perExampleWeightGradientsAreEachExamplesOwn(int stride, int dilation, int groups) {
        // oracle: autograd on each example alone
        Tensor x = normal(3, 4, 6, 6), w = normal(6, 4 / groups, 3, 3).setRequiresGrad(true);
        Tensor y = Ops.conv2d(x, w, stride, dilation, dilation, groups);
        Tensor dy = normal(y.shape());
        float[] all = Ops.conv2dWeightGradPerExample(x, dy, 3, stride, dilation, dilation, groups).toFloatArray();
        int per = (int) w.numel();
        for (int n = 0; n < 3; n++) {
            float[] xn = java.util.Arrays.copyOfRange(x.toFloatArray(), n * 144, (n + 1) * 144);
            int yPer = (int) (dy.numel() / 3);
            float[] dyn = java.util.Arrays.copyOfRange(dy.toFloatArray(), n * yPer, (n + 1) * yPer);
            Tensor yn = Ops.conv2d(Tensor.of(be, xn, 1, 4, 6, 6), w, stride, dilation, dilation, groups);
            float[] expected = org.archrepair.engine.autograd.Autograd.grad(yn,
                    Tensor.of(be, dyn, yn.shape()), List.of(w)).get(w).toFloatArray();
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(all, n * per, (n + 1) * per), 1e-5f, "example " + n);
        }
    }
}
