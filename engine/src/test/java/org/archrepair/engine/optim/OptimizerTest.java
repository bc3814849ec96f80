package org.archrepair.engine.optim;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Optimizer steps, schedules and clipping against values computed by hand from torch.optim's formulas,
 * on every test device ({@link TestDevices}).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.archrepair.kernels.TestDevices#all")
class OptimizerTest {
    @Parameter
    String device;
    private Backend be;

    @BeforeEach
    void openDevice() {
        be = TestDevices.open(device);
    }

    /** w with L = 2 w, so the gradient is 2 at every step. */
    private Gradients gradTwo(Tensor w) {
        return Autograd.grad(Ops.sum(Ops.affine(w, 2f, 0f)), List.of(w));
    }

    @Test
    void sgdMomentumWeightDecay() {
        Tensor w = Tensor.full(be, 1f, 1).setRequiresGrad(true);
        Sgd sgd = new Sgd(List.of(w), 0.5, 0.9, 0.1, false);
        sgd.step(gradTwo(w));      // d = 2.1, buf = 2.1, w = 1 - 1.05
        assertEquals(-0.05f, w.item(), 1e-6f);
        sgd.step(gradTwo(w));      // d = 1.995, buf = 0.9 * 2.1 + 1.995 = 3.885, w = -0.05 - 1.9425
        assertEquals(-1.9925f, w.item(), 1e-5f);
    }

    @Test
    void sgdNesterov() {
        Tensor w = Tensor.full(be, 1f, 1).setRequiresGrad(true);
        new Sgd(List.of(w), 0.5, 0.9, 0.1, true).step(gradTwo(w));   // d = 2.1 + 0.9 * 2.1 = 3.99
        assertEquals(1 - 0.5f * 3.99f, w.item(), 1e-6f);
    }

    @Test
    void adamBiasCorrected() {
        Tensor w = Tensor.full(be, 1f, 1).setRequiresGrad(true);
        Adam adam = new Adam(List.of(w), 0.1, 0.9, 0.999, 0);
        adam.step(gradTwo(w));     // m_hat = 2, v_hat = 4: w -= 0.1 * 2 / 2
        assertEquals(0.9f, w.item(), 1e-6f);
        adam.step(gradTwo(w));     // constant gradient: every step moves by lr
        assertEquals(0.8f, w.item(), 1e-6f);
    }

    @Test
    void adamRestoredFromItsMomentsContinuesBitwise() {
        Tensor w = Tensor.of(be, new float[]{1f, -0.5f}, 2).setRequiresGrad(true);
        Adam adam = new Adam(List.of(w), 0.1, 0.5, 0.999, 1e-3);
        adam.step(gradTwo(w));
        Adam.Moments saved = adam.moments(w);
        Tensor w2 = Tensor.of(be, w.toFloatArray(), 2).setRequiresGrad(true);
        Adam resumed = new Adam(List.of(w2), 0.1, 0.5, 0.999, 1e-3);
        resumed.setMoments(w2, saved);
        adam.step(gradTwo(w));
        resumed.step(gradTwo(w2));
        org.junit.jupiter.api.Assertions.assertArrayEquals(w.toFloatArray(), w2.toFloatArray());
        assertEquals(2, adam.moments(w).step());
        org.junit.jupiter.api.Assertions.assertNull(new Adam(List.of(w2), 0.1, 0.5, 0.999, 0).moments(w2));
    }

    @Test
    void schedules() {
        LrSchedule cos = LrSchedule.cosine(10, 0.001);
        assertEquals(0.1, cos.lr(0.1, 0), 1e-12);
        assertEquals((0.1 + 0.001) / 2, cos.lr(0.1, 5), 1e-12);
        assertEquals(0.001, cos.lr(0.1, 10), 1e-12);
        assertEquals(0.001, cos.lr(0.1, 12), 1e-12);
        LrSchedule step = LrSchedule.step(30, 0.1);
        assertEquals(0.1, step.lr(0.1, 29.9), 1e-12);
        assertEquals(0.01, step.lr(0.1, 30), 1e-12);
        Tensor w = Tensor.full(be, 1f, 1).setRequiresGrad(true);
        Sgd sgd = new Sgd(List.of(w), 0.1, 0, 0, false);
        sgd.applySchedule(cos, 5);
        assertEquals((0.1 + 0.001) / 2, sgd.groups().get(0).lr(), 1e-12);
    }

    @Test
    void clipGradNorm() {
        Tensor a = Tensor.of(be, new float[]{1, 1}, 2).setRequiresGrad(true);
        Tensor b = Tensor.of(be, new float[]{1}, 1).setRequiresGrad(true);
        // gradients 3, 0 and 4: joint norm 5
        Tensor loss = Ops.add(Ops.sum(Ops.mul(a, Tensor.of(be, new float[]{3, 0}, 2))), Ops.sum(Ops.affine(b, 4f, 0f)));
        Gradients g = Autograd.grad(loss, List.of(a, b));
        assertEquals(5.0, g.clipNorm(List.of(a, b), 1.0), 1e-6);
        assertEquals(3 / (5 + 1e-6), g.get(a).toFloatArray()[0], 1e-6);
        assertEquals(4 / (5 + 1e-6), g.get(b).item(), 1e-6);
        assertEquals(1.0, g.norm(List.of(a, b)), 1e-5);
        assertEquals(1.0, g.clipNorm(List.of(a, b), 10.0), 1e-5);   // below the limit: unchanged
    }
}
