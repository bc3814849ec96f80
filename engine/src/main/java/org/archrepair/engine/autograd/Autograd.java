package org.archrepair.engine.autograd;

import org.archrepair.engine.Tensor;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation over the graph that {@link Function}s record. {@link #grad} returns
 * the gradients of one output w.r.t. any list of tensors that require grad, as a {@link Gradients}
 * map, and stores nothing in the tensors: the architecture search asks for d(val loss)/d(alpha) and
 * d(train loss)/d(w) from two different graphs, and the two never mix.
 *
 * <p>Grad mode is per thread ({@link #noGrad}); it is on by default.
 */
public final class Autograd {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[]{true});

    private Autograd() {
    }

    public static boolean isGradEnabled() {
        return ENABLED.get()[0];
    }

    /** A scope in which no graph is recorded: {@code try (var g = Autograd.noGrad()) { ... }}. */
    public static Scope noGrad() {
        boolean[] flag = ENABLED.get();
        boolean prior = flag[0];
        flag[0] = false;
        return () -> flag[0] = prior;
    }

    /** Restores the grad mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** d(output)/d(wrt) for a scalar output (a one-element tensor). */
    public static Gradients grad(Tensor output, Collection<Tensor> wrt) {
        if (output.numel() != 1)
            throw new IllegalArgumentException("grad of a non-scalar output " + Arrays.toString(output.shape())
                    + " needs an explicit output gradient");
        return grad(output, Tensor.full(output.backend(), 1f, output.shape()), wrt);
    }

    /** Vector-Jacobian product: the gradients w.r.t. wrt of sum(output * dOutput). */
    public static Gradients grad(Tensor output, Tensor dOutput, Collection<Tensor> wrt) {
        if (!Arrays.equals(output.shape(), dOutput.shape()))
            throw new IllegalArgumentException("output gradient shape " + Arrays.toString(dOutput.shape())
                    + " differs from output " + Arrays.toString(output.shape()));
        Set<Tensor> targets = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : wrt) {
            if (!t.requiresGrad())
                throw new IllegalArgumentException("grad w.r.t. a tensor that does not require grad: " + t);
            targets.add(t);
        }
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        Map<Tensor, Tensor> result = new IdentityHashMap<>();
        if (!output.requiresGrad()) return new Gradients(result);
        grads.put(output, dOutput);
        try (Scope ignored = noGrad()) {
            for (Tensor t : topologicalOrder(output)) {
                Tensor g = grads.remove(t);
                if (g == null) continue;
                if (targets.contains(t)) result.put(t, g);
                Function fn = t.gradFn();
                if (fn == null) continue;
                Tensor[] in = fn.inputs();
                Tensor[] gin = fn.backward(g);
                for (int i = 0; i < in.length; i++) {
                    if (in[i] == null || !in[i].requiresGrad() || gin[i] == null) continue;
                    checkShape(fn, i, in[i], gin[i]);
                    grads.merge(in[i], gin[i], Autograd::sum);
                }
            }
        }
        return new Gradients(result);
    }

    /** Tensors reachable from root through grad-requiring edges, root first, each after all its consumers. */
    static List<Tensor> topologicalOrder(Tensor root) {
        // Iterative post-order DFS (graphs of deep nets overflow a recursive one), then reverse.
        List<Tensor> post = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{root, 0});
        seen.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] in = t.gradFn() == null ? new Tensor[0] : t.gradFn().inputs();
            while (next < in.length && (in[next] == null || !in[next].requiresGrad() || seen.contains(in[next]))) next++;
            if (next < in.length) {
                frame[1] = next + 1;
                seen.add(in[next]);
                stack.push(new Object[]{in[next], 0});
            } else {
                stack.pop();
                post.add(t);
            }
        }
        Collections.reverse(post);
        return post;
    }

    private static void checkShape(Function fn, int i, Tensor input, Tensor g) {
        if (!Arrays.equals(input.shape(), g.shape()))
            throw new IllegalStateException(fn.name() + " returned a gradient of shape " + Arrays.toString(g.shape())
                    + " for input " + i + " of shape " + Arrays.toString(input.shape()));
    }

    /** a + b into a fresh buffer: gradients may be shared between edges, so none is updated in place. */
    private static Tensor sum(Tensor a, Tensor b) {
        int[] shape = a.shape();
        DeviceBuffer out = a.backend().allocateUninitialized(DType.F32, a.numel());
        a.backend().binary(BinaryOp.ADD, new BroadcastSpec(shape, shape, shape), a.data(), b.data(), out);
        return Tensor.wrap(out, shape);
    }
}
