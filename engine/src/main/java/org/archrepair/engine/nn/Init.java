package org.archrepair.engine.nn;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.kernels.Backend;

/**
 * Where and how new parameters are made: the backend they live on and the seeded stream that
 * initializes them. The methods are PyTorch's initializers, so a model built here starts from the
 * same distribution as its PyTorch original.
 */
public record Init(Backend backend, Rng rng) {

    /** U(-bound, bound). */
    public Tensor uniform(float bound, int... shape) {
        return Tensor.of(backend, rng.uniform((int) Tensor.volume(shape), -bound, bound), shape);
    }

    /** N(0, std^2). */
    public Tensor normal(float std, int... shape) {
        return Tensor.of(backend, rng.normal((int) Tensor.volume(shape), std), shape);
    }

    /** PyTorch's default for conv and linear weights: kaiming_uniform_(a = sqrt(5)), i.e. U(+-1/sqrt(fan_in)). */
    public Tensor defaultWeight(int fanIn, int... shape) {
        return uniform((float) (1.0 / Math.sqrt(fanIn)), shape);
    }

    /** PyTorch's default for conv and linear biases: U(+-1/sqrt(fan_in)). */
    public Tensor defaultBias(int fanIn, int n) {
        return uniform((float) (1.0 / Math.sqrt(fanIn)), n);
    }

    /** kaiming_normal_(mode = fan_in, nonlinearity = relu): N(0, 2 / fan_in). */
    public Tensor kaimingNormal(int fan, int... shape) {
        return normal((float) Math.sqrt(2.0 / fan), shape);
    }

    public Tensor zeros(int... shape) {
        return Tensor.zeros(backend, shape);
    }

    public Tensor ones(int... shape) {
        return Tensor.full(backend, 1f, shape);
    }

    /** The same backend with a stream forked by label (independent of call order elsewhere). */
    public Init fork(String label) {
        return new Init(backend, rng.fork(label));
    }
}
