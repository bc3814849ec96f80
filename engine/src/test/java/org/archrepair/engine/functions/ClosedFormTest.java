package org.archrepair.engine.functions;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.TestDevices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Small cases computed by hand: conv, pooling, batch norm, loss; on every test device ({@link TestDevices}). */
@ParameterizedClass(name = "{0}")
@MethodSource("org.archrepair.kernels.TestDevices#all")
class ClosedFormTest {
    @Parameter
    String device;
    private Backend be;

    @BeforeEach
    void openDevice() {
        be = TestDevices.open(device);
    }

    private Tensor t(float[] v, int... shape) {
        return Tensor.of(be, v, shape);
    }

    @Test
    void conv3x3InputWith2x2Kernel() {
        // x = [[1 2 3] [4 5 6] [7 8 9]], w = [[1 0] [0 -1]]: y[i][j] = x[i][j] - x[i+1][j+1] = -4 everywhere
        Tensor x = t(new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor w = t(new float[]{1, 0, 0, -1}, 1, 1, 2, 2);
        assertArrayEquals(new float[]{-4, -4, -4, -4}, Ops.conv2d(x, w, 1, 0, 1, 1).toFloatArray());
        // padding 1, stride 2: windows start at (-1,-1), (-1,1), (1,-1), (1,1); y = x(top-left) - x(bottom-right)
        // (-1,-1): 0 - x(0,0) = -1; (-1,1): 0 - x(0,2) = -3; (1,-1): 0 - x(2,0) = -7; (1,1): x(1,1) - x(2,2) = -4
        assertArrayEquals(new float[]{-1, -3, -7, -4}, Ops.conv2d(x, w, 2, 1, 1, 1).toFloatArray());
        // dilation 2 on a 3x3 input with a 2x2 kernel: one output, x(0,0) - x(2,2) = -8
        assertArrayEquals(new float[]{-8}, Ops.conv2d(x, w, 1, 0, 2, 1).toFloatArray());
    }

    @Test
    void convGradientsByHand() {
        // y = sum(conv(x, w)) for a 1x1 kernel: dy/dw = sum(x), dy/dx = w everywhere
        Tensor x = t(new float[]{1, 2, 3, 4}, 1, 1, 2, 2).setRequiresGrad(true);
        Tensor w = t(new float[]{3}, 1, 1, 1, 1).setRequiresGrad(true);
        var g = Autograd.grad(Ops.sum(Ops.conv2d(x, w, 1, 0, 1, 1)), List.of(x, w));
        assertArrayEquals(new float[]{3, 3, 3, 3}, g.get(x).toFloatArray());
        assertArrayEquals(new float[]{10}, g.get(w).toFloatArray());
    }

    @Test
    void depthwiseConvKeepsChannelsApart() {
        // two channels, each its own 1x1 kernel (2 and -1)
        Tensor x = t(new float[]{1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2);
        Tensor w = t(new float[]{2, -1}, 2, 1, 1, 1);
        assertArrayEquals(new float[]{2, 4, 6, 8, -10, -20, -30, -40}, Ops.conv2d(x, w, 1, 0, 1, 2).toFloatArray());
    }

    @Test
    void poolingByHand() {
        Tensor x = t(new float[]{1, 5, 2, 0, 3, 4, 7, 6, 8, 2, 1, 9, 0, 3, 4, 1}, 1, 1, 4, 4);
        assertArrayEquals(new float[]{5, 7, 8, 9}, Ops.maxPool2d(x, 2, 2, 0).toFloatArray());
        assertArrayEquals(new float[]{(1 + 5 + 3 + 4) / 4f, (2 + 0 + 7 + 6) / 4f, (8 + 2 + 0 + 3) / 4f, (1 + 9 + 4 + 1) / 4f},
                Ops.avgPool2d(x, 2, 2, 0).toFloatArray());
        // 3x3 stride 2 pad 1, count_include_pad = false: the corner window sees 2x2 = 4 pixels
        float[] avg = Ops.avgPool2d(x, 3, 2, 1).toFloatArray();
        assertEquals((1 + 5 + 3 + 4) / 4f, avg[0], 1e-6f);
        assertEquals((4 + 7 + 6 + 2 + 1 + 9 + 3 + 4 + 1) / 9f, avg[3], 1e-6f);   // rows 1..3, cols 1..3
        // max pool gradient goes to the argmax only
        Tensor xg = x.detach().setRequiresGrad(true);
        float[] dx = Autograd.grad(Ops.sum(Ops.maxPool2d(xg, 2, 2, 0)), List.of(xg)).get(xg).toFloatArray();
        assertArrayEquals(new float[]{0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0}, dx);
    }

    @Test
    void maxPoolTiesGoToTheFirst() {
        Tensor x = t(new float[]{2, 2, 2, 2}, 1, 1, 2, 2).setRequiresGrad(true);
        float[] dx = Autograd.grad(Ops.sum(Ops.maxPool2d(x, 2, 2, 0)), List.of(x)).get(x).toFloatArray();
        assertArrayEquals(new float[]{1, 0, 0, 0}, dx);
    }

    @Test
    void batchNormByHand() {
        // one channel, values 1..4: mean 2.5, biased var 1.25, unbiased 5/3
        Tensor x = t(new float[]{1, 2, 3, 4}, 4, 1);
        Tensor gamma = t(new float[]{2}, 1), beta = t(new float[]{1}, 1);
        Tensor rm = Tensor.zeros(be, 1), rv = Tensor.full(be, 1f, 1);
        float[] y = Ops.batchNormTrain(x, gamma, beta, rm, rv, 1e-5f, 0.1f).toFloatArray();
        double inv = 1 / Math.sqrt(1.25 + 1e-5);
        for (int i = 0; i < 4; i++) assertEquals(2 * (i + 1 - 2.5) * inv + 1, y[i], 1e-6);
        assertEquals(0.25f, rm.item(), 1e-7f);                           // 0.9 * 0 + 0.1 * 2.5
        assertEquals(0.9f + 0.1f * 5f / 3f, rv.item(), 1e-6f);           // unbiased variance
        float[] ye = Ops.batchNormEval(x, gamma, beta, rm, rv, 1e-5f).toFloatArray();
        assertEquals(2 * (1 - 0.25) / Math.sqrt(rv.item() + 1e-5) + 1, ye[0], 1e-6);
    }

    @Test
    void crossEntropyByHand() {
        // uniform logits: loss = ln(classes); gradient = (1/c - onehot) / n
        Tensor logits = Tensor.zeros(be, 2, 4).setRequiresGrad(true);
        Tensor labels = Tensor.ofInts(be, new int[]{1, 3}, 2);
        Tensor loss = Ops.crossEntropy(logits, labels);
        assertEquals(Math.log(4), loss.item(), 1e-6);
        float[] g = Autograd.grad(loss, List.of(logits)).get(logits).toFloatArray();
        assertArrayEquals(new float[]{0.125f, -0.375f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, -0.375f}, g, 1e-7f);
        // a confident correct prediction: loss = ln(1 + 3 e^-10)
        Tensor sure = t(new float[]{10, 0, 0, 0}, 1, 4);
        assertEquals(Math.log(1 + 3 * Math.exp(-10)), Ops.crossEntropy(sure, Tensor.ofInts(be, new int[]{0}, 1)).item(), 1e-7);
    }

    @Test
    void crossEntropyRejectsBadLabels() {
        Tensor logits = Tensor.zeros(be, 1, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Ops.crossEntropy(logits, Tensor.ofInts(be, new int[]{3}, 1)));
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
    }

    @Test
    void shuffleAndPadByHand() {
        // 4 channels of one value each, 2 groups: [0 1 | 2 3] -> [0 2 1 3]
        Tensor x = t(new float[]{0, 1, 2, 3}, 1, 4, 1, 1);
        assertArrayEquals(new float[]{0, 2, 1, 3}, Ops.channelShuffle(x, 2).toFloatArray());
        assertArrayEquals(new float[]{0, 0, 1, 2, 3, 0}, Ops.padChannels(x, 1, 1).toFloatArray());
        Tensor img = t(new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        assertArrayEquals(new float[]{1, 3, 7, 9}, Ops.subsample(img, 2).toFloatArray());
    }
}
