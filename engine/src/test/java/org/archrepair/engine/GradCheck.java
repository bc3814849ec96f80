package org.archrepair.engine;

import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.autograd.Gradients;
import org.archrepair.kernels.Backend;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central finite differences against autograd for any function of float tensors. The scalar
 * probed is L = sum(f(inputs) * R) for a fixed random R, evaluated on the host in double; the
 * analytic side is the vector-Jacobian product with R. Step eps = 1e-2 * max(|x|, 1): truncation
 * error O(eps^2) for smooth functions, float32 rounding noise ~ ulp(out) / eps, both far below the
 * tolerance of 2e-3 relative plus 2e-4 of the largest gradient. Inputs must be off kinks.
 */
public final class GradCheck {
    private GradCheck() {
    }

    public static void check(String what, Backend backend, Function<List<Tensor>, Tensor> f, List<Tensor> inputs, long seed) {
        for (Tensor t : inputs) t.setRequiresGrad(true);
        Tensor out = f.apply(inputs);
        Rng rng = new Rng(seed);
        float[] r = rng.normal((int) out.numel(), 1f);
        Tensor dOut = Tensor.of(backend, r, out.shape());
        Gradients g = Autograd.grad(out, dOut, inputs);
        for (int i = 0; i < inputs.size(); i++) {
            Tensor x = inputs.get(i);
            float[] analytic = g.getOrZeros(x).toFloatArray();
            float[] numeric = numeric(backend, f, inputs, i, r);
            compare(what + " input " + i, analytic, numeric);
        }
    }

    private static float[] numeric(Backend backend, Function<List<Tensor>, Tensor> f, List<Tensor> inputs, int which,
                                   float[] r) {
        Tensor x = inputs.get(which);
        float[] base = x.toFloatArray();
        float[] grad = new float[base.length];
        try (var ignored = Autograd.noGrad()) {
            for (int j = 0; j < base.length; j++) {
                float eps = 1e-2f * Math.max(Math.abs(base[j]), 1f);
                double plus = probe(f, inputs, which, base, j, base[j] + eps, r);
                double minus = probe(f, inputs, which, base, j, base[j] - eps, r);
                float step = (base[j] + eps) - (base[j] - eps);   // the step float32 really took
                grad[j] = (float) ((plus - minus) / step);
            }
        }
        x.copyFrom(base);
        return grad;
    }

    private static double probe(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, int which, float[] base, int j,
                                float value, float[] r) {
        float[] moved = base.clone();
        moved[j] = value;
        inputs.get(which).copyFrom(moved);
        float[] y = f.apply(inputs).toFloatArray();
        double l = 0;
        for (int k = 0; k < y.length; k++) l += (double) y[k] * r[k];
        return l;
    }

    private static void compare(String what, float[] analytic, float[] numeric) {
        double scale = 0;
        for (float a : analytic) scale = Math.max(scale, Math.abs(a));
        for (int j = 0; j < analytic.length; j++) {
            double tol = 2e-3 * Math.abs(numeric[j]) + 2e-4 * scale + 1e-6;
            double err = Math.abs(analytic[j] - numeric[j]);
            assertTrue(err <= tol, what + " element " + j + ": autograd " + analytic[j] + " vs finite difference "
                    + numeric[j] + " (tolerance " + tol + ")");
        }
    }
}
