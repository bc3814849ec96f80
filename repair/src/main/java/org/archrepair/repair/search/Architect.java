package org.archrepair.repair.search;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.autograd.Gradients;
import org.archrepair.engine.optim.Adam;
import org.archrepair.engine.optim.Sgd;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Network;
import org.archrepair.models.data.Batch;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The architecture step of the bilevel search (the paper's Eq. 10; DARTS' and PC-DARTS'
 * architect.py): Adam on the architecture parameters (alpha, beta) from the loss on a batch of
 * D_val^repair. First order by default (w as it is); second order (DARTS "unrolled") as an option:
 * the gradient at w' = w - xi (momentum + grad of the training loss + weight decay), corrected by a
 * finite-difference Hessian-vector product,
 * <pre>
 *   d alpha = dL_val(w', alpha)/d alpha - xi (dL_tr(w+, alpha)/d alpha - dL_tr(w-, alpha)/d alpha) / (2 R)
 *   w+- = w +- R dL_val(w', alpha)/dw',  R = 0.01 / |dL_val/dw'|
 * </pre>
 * The weights are frozen while the architecture gradient is taken (no weight gradient is computed
 * for it), and the other way round in the weight step.
 */
public final class Architect {
    private final Network net;
    private final List<Tensor> alphas, weights;
    private final Adam adam;
    private final Sgd weightOptimizer;     // for the unrolled step's w' (its lr, momentum buffers and decay)
    private final boolean unrolled;

    public Architect(Network net, List<Tensor> architecture, Adam adam, List<Tensor> weights, Sgd weightOptimizer,
                     boolean unrolled) {
        this.net = net;
        this.alphas = List.copyOf(architecture);
        this.weights = List.copyOf(weights);
        this.adam = adam;
        this.weightOptimizer = weightOptimizer;
        this.unrolled = unrolled;
    }

    public Adam adam() {
        return adam;
    }

    /** The network whose architecture this steps. */
    public Network network() {
        return net;
    }

    /** One step on the validation batch (train: the weight step's batch, used when unrolled); returns the val loss. */
    public float step(Backend backend, Batch val, Batch train) {
        Gradients g;
        float loss;
        if (!unrolled) {
            try (var ignored = frozen(weights)) {
                Tensor l = loss(backend, val);
                g = Autograd.grad(l, alphas);
                loss = l.item();
            }
        } else {
            var r = unrolledGradient(backend, val, train);
            g = r.grads();
            loss = r.loss();
        }
        adam.step(g);
        return loss;
    }

    /** The weight step's loss with the architecture frozen: for {@link org.archrepair.repair.train.TrainStep} callers. */
    public Frozen freezeArchitecture() {
        return frozen(alphas);
    }

    private Tensor loss(Backend backend, Batch b) {
        return Ops.crossEntropy(net.forward(Tensor.of(backend, b.images(), b.shape())),
                Tensor.ofInts(backend, b.labels(), b.size()));
    }

    private record Unrolled(Gradients grads, float loss) {
    }

    private Unrolled unrolledGradient(Backend backend, Batch val, Batch train) {
        List<float[]> w0 = new ArrayList<>();
        for (Tensor w : weights) w0.add(w.toFloatArray());
        double xi = weightOptimizer.groups().getFirst().lr(), mu = weightOptimizer.groups().getFirst().momentum;
        double decay = weightOptimizer.groups().getFirst().weightDecay;
        // w' = w - xi (mu m + g_train + decay w)
        Gradients gTrain;
        try (var ignored = frozen(alphas)) {
            gTrain = Autograd.grad(loss(backend, train), weights);
        }
        for (int i = 0; i < weights.size(); i++) {
            Tensor w = weights.get(i);
            float[] v = w0.get(i).clone(), g = gTrain.getOrZeros(w).toFloatArray(), m = weightOptimizer.momentum(w);
            for (int k = 0; k < v.length; k++)
                v[k] -= (float) (xi * ((m == null ? 0 : mu * m[k]) + g[k] + decay * w0.get(i)[k]));
            w.copyFrom(v);
        }
        List<Tensor> both = new ArrayList<>(alphas);
        both.addAll(weights);
        Tensor lv = loss(backend, val);
        Gradients gVal = Autograd.grad(lv, both);
        float lossVal = lv.item();
        double norm = gVal.norm(weights);
        double r = 0.01 / Math.max(norm, 1e-12);
        Map<Tensor, float[]> plus = alphaGradientsAt(backend, train, w0, gVal, r);
        Map<Tensor, float[]> minus = alphaGradientsAt(backend, train, w0, gVal, -r);
        for (int i = 0; i < weights.size(); i++) weights.get(i).copyFrom(w0.get(i));
        Map<Tensor, Tensor> out = new IdentityHashMap<>();
        for (Tensor a : alphas) {
            float[] d = gVal.getOrZeros(a).toFloatArray(), p = plus.get(a), q = minus.get(a);
            for (int k = 0; k < d.length; k++) d[k] -= (float) (xi * (p[k] - q[k]) / (2 * r));
            out.put(a, Tensor.of(backend, d, a.shape()));
        }
        return new Unrolled(Gradients.of(out), lossVal);
    }

    /** dL_train/d alpha at w0 + eps dL_val/dw'. */
    private Map<Tensor, float[]> alphaGradientsAt(Backend backend, Batch train, List<float[]> w0, Gradients gVal, double eps) {
        for (int i = 0; i < weights.size(); i++) {
            float[] v = w0.get(i).clone(), d = gVal.getOrZeros(weights.get(i)).toFloatArray();
            for (int k = 0; k < v.length; k++) v[k] += (float) (eps * d[k]);
            weights.get(i).copyFrom(v);
        }
        Map<Tensor, float[]> out = new IdentityHashMap<>();
        try (var ignored = frozen(weights)) {
            Gradients g = Autograd.grad(loss(backend, train), alphas);
            for (Tensor a : alphas) out.put(a, g.getOrZeros(a).toFloatArray());
        }
        return out;
    }

    /** Stop tensors from requiring grad until closed (no gradient is computed for them meanwhile). */
    static Frozen frozen(List<Tensor> ts) {
        for (Tensor t : ts) t.setRequiresGrad(false);
        return () -> ts.forEach(t -> t.setRequiresGrad(true));
    }

    /** A scope in which some tensors do not require grad. */
    public interface Frozen extends AutoCloseable {
        @Override
        void close();
    }
}
