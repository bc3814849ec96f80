package org.archrepair.engine;

import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.autograd.Gradients;
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
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Accuracy counting, predictions and gradient norms computed on the device, against hand-computed
 * values, on every test device ({@link TestDevices}).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.archrepair.kernels.TestDevices#all")
class MetricsOnDeviceTest {
    @Parameter
    String device;
    private Backend be;

    @BeforeEach
    void openDevice() {
        be = TestDevices.open(device);
    }

    @Test
    void correctPredictionsAccumulateWithoutAHostRead() {
        // rows: argmax 2 (label 2, correct), a tie of 1 and 3 goes to 1 (label 3, wrong), argmax 0 (label 0, correct)
        Tensor logits = Tensor.of(be, new float[]{0, 1, 5, 2, 0, 4, 0, 4, 9, 1, 1, 1}, 3, 4);
        Tensor labels = Tensor.ofInts(be, new int[]{2, 3, 0}, 3);
        Tensor count = Tensor.ofInts(be, new int[]{10}, 1);
        Ops.accumulateCorrect(logits, labels, count);
        Ops.accumulateCorrect(logits, labels, count);
        assertArrayEquals(new int[]{14}, ints(count));
        Tensor predictions = Tensor.ofInts(be, new int[]{-1, -1, -1, -1, -1}, 5);
        Ops.argmaxRows(logits, predictions, 1);
        assertArrayEquals(new int[]{-1, 2, 1, 0, -1}, ints(predictions));
        assertThrows(IllegalArgumentException.class, () -> Ops.argmaxRows(logits, predictions, 3));
    }

    @Test
    void clipOnTheDeviceMatchesTheHostFormula() {
        Tensor a = Tensor.of(be, new float[]{1, 1}, 2).setRequiresGrad(true);
        Tensor b = Tensor.of(be, new float[]{1}, 1).setRequiresGrad(true);
        // gradients 3, 0 and 4: squared norm 25, norm 5
        Tensor loss = Ops.add(Ops.sum(Ops.mul(a, Tensor.of(be, new float[]{3, 0}, 2))), Ops.sum(Ops.affine(b, 4f, 0f)));
        Gradients g = Autograd.grad(loss, List.of(a, b));
        assertEquals(25f, g.squaredNormOnDevice(List.of(a, b)).item());
        Tensor norm = g.clipNormOnDevice(List.of(a, b), 2f);
        assertEquals(5f, norm.item());
        float factor = 2f / (5f + 1e-6f);
        assertArrayEquals(new float[]{3 * factor, 0}, g.get(a).toFloatArray());
        assertArrayEquals(new float[]{4 * factor}, g.get(b).toFloatArray());
    }

    private static int[] ints(Tensor t) {
        int[] out = new int[(int) t.numel()];
        t.backend().download(t.data(), out);
        return out;
    }
}
