package org.archrepair.engine.nn;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.autograd.Gradients;
import org.archrepair.engine.optim.LrSchedule;
import org.archrepair.engine.optim.Sgd;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.TestDevices;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on the engine: a small CNN learns a synthetic task, and training is bitwise reproducible,
 * on the fast CPU backend and the CUDA devices ({@link TestDevices}).
 */
class TrainingTest {

    /** 3 x 8 x 8 images of noise with one bright 4 x 4 quadrant; the label is the quadrant. */
    record Data(float[] x, int[] y, int n) {
        static Data make(int n, Rng rng) {
            float[] x = rng.normal(n * 3 * 64, 0.5f);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = rng.nextInt(4);
                int r0 = (y[i] / 2) * 4, c0 = (y[i] % 2) * 4;
                for (int c = 0; c < 3; c++)
                    for (int r = r0; r < r0 + 4; r++)
                        for (int q = c0; q < c0 + 4; q++) x[((i * 3 + c) * 8 + r) * 8 + q] += 1f;
            }
            return new Data(x, y, n);
        }

        Tensor images(Backend be, int from, int count) {
            float[] part = java.util.Arrays.copyOfRange(x, from * 192, (from + count) * 192);
            return Tensor.of(be, part, count, 3, 8, 8);
        }

        Tensor labels(Backend be, int from, int count) {
            return Tensor.ofInts(be, java.util.Arrays.copyOfRange(y, from, from + count), count);
        }
    }

    static Sequential model(Init init) {
        return new Sequential(new Conv2d(init, 3, 8, 3, 1, 1), new BatchNorm2d(init, 8), new ReLU(),
                new MaxPool2d(2, 2, 0), new Flatten(), new Linear(init, 8 * 4 * 4, 4));
    }

    /** Train for a few epochs, return the trained model. */
    static Sequential train(Backend be, long seed, int epochs) {
        Rng rng = new Rng(seed);
        Data data = Data.make(256, rng.fork("data"));
        Sequential net = model(new Init(be, rng.fork("init")));
        Sgd sgd = new Sgd(net.parameters(), 0.05, 0.9, 5e-4, false);
        for (int epoch = 0; epoch < epochs; epoch++) {
            sgd.applySchedule(LrSchedule.cosine(epochs, 0), epoch);
            for (int b = 0; b < data.n(); b += 32) {
                Tensor loss = Ops.crossEntropy(net.forward(data.images(be, b, 32)), data.labels(be, b, 32));
                Gradients g = Autograd.grad(loss, net.parameters());
                g.clipNorm(net.parameters(), 5.0);
                sgd.step(g);
            }
        }
        return net;
    }

    static Stream<String> devices() {
        return Stream.concat(TestDevices.selected(Stream.of("cpu-fast-2")), TestDevices.cuda());
    }

    @ParameterizedTest
    @MethodSource("devices")
    void smallCnnLearnsTheQuadrantTask(String device) {
        Backend be = TestDevices.open(device);
        Sequential net = train(be, 11, 6);
        Data test = Data.make(200, new Rng(99));
        net.eval();
        int correct = 0;
        try (var ignored = Autograd.noGrad()) {
            float[] logits = net.forward(test.images(be, 0, 200)).toFloatArray();
            for (int i = 0; i < 200; i++) {
                int best = 0;
                for (int k = 1; k < 4; k++) if (logits[i * 4 + k] > logits[i * 4 + best]) best = k;
                if (best == test.y()[i]) correct++;
            }
        }
        assertTrue(correct >= 190, "held-out accuracy " + correct + "/200");
    }

    @ParameterizedTest
    @MethodSource("devices")
    void sameSeedSameBits(String device) {
        Backend be = TestDevices.open(device);
        var a = train(be, 5, 2).stateDict();
        var b = train(be, 5, 2).stateDict();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, t) -> assertArrayEquals(bits(t), bits(b.get(name)), name));
        var c = train(be, 6, 2).stateDict();
        assertFalse(java.util.Arrays.equals(bits(a.get("0.weight")), bits(c.get("0.weight"))), "another seed differs");
    }

    private static int[] bits(Tensor t) {
        float[] v = t.toFloatArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Float.floatToRawIntBits(v[i]);
        return out;
    }
}
