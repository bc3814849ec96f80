package org.archrepair.engine.autograd;

import org.archrepair.engine.Tensor;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.UnaryOp;

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

    /**
     * The sum of the squares of the gradients of params (missing ones count as zero), as a tensor of
     * shape (1) that stays on the device: no host round trip.
     */
    public Tensor squaredNormOnDevice(Collection<Tensor> params) {
        if (params.isEmpty()) throw new IllegalArgumentException("gradient norm of no parameters");
        Backend be = params.iterator().next().backend();
        Tensor acc = Tensor.zeros(be, 1);
        for (Tensor p : params) {
            Tensor g = grads.get(p);
            if (g != null) be.sumOfSquares(g.data(), acc.data());
        }
        return acc;
    }

    /** Euclidean norm of all gradients of the given tensors together (missing ones count as zero); one host read. */
    public double norm(Collection<Tensor> params) {
        return params.isEmpty() ? 0 : Math.sqrt(squaredNormOnDevice(params).item());
    }

    /**
     * Scale the gradients of params so that their joint norm is at most maxNorm, as
     * torch.nn.utils.clip_grad_norm_ (factor min(1, maxNorm / (norm + 1e-6))), entirely on the
     * device. Returns the norm before clipping as a tensor of shape (1) on the device, like PyTorch;
     * reading it is the caller's choice. Scaled gradients are fresh buffers.
     */
    public Tensor clipNormOnDevice(Collection<Tensor> params, float maxNorm) {
        Tensor sq = squaredNormOnDevice(params);
        Backend be = sq.backend();
        for (Tensor p : params) {
            Tensor g = grads.get(p);
            if (g == null) continue;
            DeviceBuffer scaled = be.allocateUninitialized(DType.F32, g.numel());
            be.clipByNorm(sq.data(), maxNorm, g.data(), scaled);
            grads.put(p, Tensor.wrap(scaled, g.shape()));
        }
        DeviceBuffer norm = be.allocateUninitialized(DType.F32, 1);
        be.unary(UnaryOp.SQRT, sq.data(), norm);
        return Tensor.wrap(norm, 1);
    }

    /** {@link #clipNormOnDevice} with the norm before clipping read back to the host. */
    public double clipNorm(Collection<Tensor> params, double maxNorm) {
        return params.isEmpty() ? 0 : clipNormOnDevice(params, (float) maxNorm).item();
    }

    /** A copy of the map (identity keys). */
    public Map<Tensor, Tensor> asMap() {
        return new IdentityHashMap<>(grads);
    }
}
