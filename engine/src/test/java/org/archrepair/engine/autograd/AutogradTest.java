package org.archrepair.engine.autograd;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.TestDevices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Graph bookkeeping: shared inputs, selected leaves, no-grad scopes, deep graphs; on every test device. */
@ParameterizedClass(name = "{0}")
@MethodSource("org.archrepair.kernels.TestDevices#all")
class AutogradTest {
    @Parameter
    String device;
    private Backend be;

    @BeforeEach
    void openDevice() {
        be = TestDevices.open(device);
    }

    @Test
    void gradientsOfReusedTensorsAccumulate() {
        Tensor x = Tensor.of(be, new float[]{1, -2, 3}, 3).setRequiresGrad(true);
        Tensor y = Ops.sum(Ops.add(Ops.mul(x, x), x));                  // dy/dx = 2x + 1
        assertArrayEquals(new float[]{3, -3, 7}, Autograd.grad(y, List.of(x)).get(x).toFloatArray());
    }

    @Test
    void onlyTheAskedLeavesAreReturnedAndGraphsStaySeparate() {
        Tensor w = Tensor.of(be, new float[]{2}, 1).setRequiresGrad(true);
        Tensor alpha = Tensor.of(be, new float[]{3}, 1).setRequiresGrad(true);
        Tensor loss = Ops.sum(Ops.mul(w, alpha));
        Gradients gw = Autograd.grad(loss, List.of(w));
        assertEquals(1, gw.size());
        assertEquals(3f, gw.get(w).item());
        assertNull(gw.get(alpha));
        Gradients ga = Autograd.grad(loss, List.of(alpha));            // the graph can be walked again
        assertEquals(2f, ga.get(alpha).item());
        Tensor unrelated = Tensor.of(be, new float[]{1}, 1).setRequiresGrad(true);
        assertNull(Autograd.grad(loss, List.of(unrelated)).get(unrelated));
    }

    @Test
    void gradientsOfIntermediateTensorsAreTheFullyAccumulatedOnes() {
        // h = x * x is used twice: loss = sum(h * 3 + h * x). dloss/dh = 3 + x, and it must arrive
        // whole (both consumers summed) even though h is not a leaf; localization asks for exactly this
        // (the gradient w.r.t. a conv output captured by a forward hook).
        Tensor x = Tensor.of(be, new float[]{1, -2, 0.5f}, 3).setRequiresGrad(true);
        Tensor h = Ops.mul(x, x);
        Tensor loss = Ops.sum(Ops.add(Ops.affine(h, 3f, 0f), Ops.mul(h, x)));
        Gradients g = Autograd.grad(loss, List.of(h, x));
        assertArrayEquals(new float[]{4, 1, 3.5f}, g.get(h).toFloatArray());
        // dloss/dx = (3 + x) 2x + h = 6x + 3x^2
        assertArrayEquals(new float[]{9, 0, 3.75f}, g.get(x).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[]{4, 1, 3.5f}, Autograd.grad(loss, List.of(h)).get(h).toFloatArray());
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = Tensor.of(be, new float[]{1}, 1).setRequiresGrad(true);
        try (var ignored = Autograd.noGrad()) {
            Tensor y = Ops.relu(x);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
        }
        assertTrue(Ops.relu(x).requiresGrad());
        assertFalse(Ops.relu(x).detach().requiresGrad());
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.of(be, new float[]{1}, 1).setRequiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) y = Ops.affine(y, 1f, 0.001f);
        assertEquals(1f, Autograd.grad(Ops.sum(y), List.of(x)).get(x).item());
    }

    @Test
    void nonScalarOutputsNeedAnOutputGradient() {
        Tensor x = Tensor.of(be, new float[]{1, 2}, 2).setRequiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> Autograd.grad(Ops.relu(x), List.of(x)));
        Tensor dy = Tensor.of(be, new float[]{5, 7}, 2);
        assertArrayEquals(new float[]{5, 7}, Autograd.grad(Ops.relu(x), dy, List.of(x)).get(x).toFloatArray());
    }
}
