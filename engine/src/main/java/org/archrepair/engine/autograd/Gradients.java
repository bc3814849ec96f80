package org.archrepair.engine.autograd;

import org.archrepair.engine.Tensor;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The result of {@link Autograd#grad}: a gradient per tensor asked for, keyed by identity.
 * A tensor the output does not depend on has no entry ({@link #get} returns null).
 */
public final class Gradients {
    private final Map<Tensor, Tensor> grads;

    Gradients(Map<Tensor, Tensor> grads) {
        this.grads = grads;
    }

    /** Gradients computed elsewhere (a finite-difference correction, a checkpoint), keyed by identity. */
    public static Gradients of(Map<Tensor, Tensor> grads) {
        return new Gradients(new IdentityHashMap<>(grads));
    }

    /** The gradient of t, or null when the output does not depend on t. */
    public Tensor get(Tensor t) {
        return grads.get(t);
    }

    /** The gradient of t, or zeros of its shape. */
    public Tensor getOrZeros(Tensor t) {
        Tensor g = grads.get(t);
        return g != null ? g : Tensor.zeros(t.backend(), t.shape());
    }

    public boolean contains(Tensor t) {
        return grads.containsKey(t);
    }

    public int size() {
        return grads.size();
    }

    /** Euclidean norm of all gradients of the given tensors together (missing ones count as zero). */
    public double norm(Collection<Tensor> params) {
        double sq = 0;
        for (Tensor p : params) {
            Tensor g = grads.get(p);
            if (g != null) sq += g.backend().dot(g.data(), g.data());
        }
        return Math.sqrt(sq);
    }

    /**
     * Scale the gradients of params so that their joint norm is at most maxNorm, as
     * torch.nn.utils.clip_grad_norm_ (factor maxNorm / (norm + 1e-6), applied only when below 1).
     * Returns the norm before clipping. Scaled gradients are fresh buffers.
     */
    public double clipNorm(Collection<Tensor> params, double maxNorm) {
        double norm = norm(params);
        double factor = maxNorm / (norm + 1e-6);
        if (factor < 1.0) {
            for (Tensor p : params) {
                Tensor g = grads.get(p);
                if (g == null) continue;
                DeviceBuffer scaled = g.backend().allocate(DType.F32, g.numel());
                g.backend().affine(g.data(), scaled, (float) factor, 0f);
                grads.put(p, Tensor.wrap(scaled, g.shape()));
            }
        }
        return norm;
    }

    /** A copy of the map (identity keys). */
    public Map<Tensor, Tensor> asMap() {
        return new IdentityHashMap<>(grads);
    }
}
