package org.archrepair.engine.nn;

import org.archrepair.engine.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or a network: named parameters, named buffers and named children, registered explicitly
 * in the constructor. Names compose into PyTorch's dotted paths ({@code layer1.0.bn1.running_mean}),
 * which key checkpoints, reports and the architect's views of a model.
 *
 * <p>Subclasses implement {@link #compute}; callers call {@link #forward}, which also runs the
 * forward hooks (localization reads per-channel activations through them).
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final List<ForwardHook> hooks = new ArrayList<>();
    private boolean training = true;

    /** Called by hooks after a module's forward: (module, input, output). */
    @FunctionalInterface
    public interface ForwardHook {
        void after(Module module, Tensor input, Tensor output);
    }

    /** Removes the hook it was returned for. */
    public interface HookHandle {
        void remove();
    }

    // ---------------------------------------------------------------- forward

    public final Tensor forward(Tensor x) {
        Tensor y = compute(x);
        for (ForwardHook h : List.copyOf(hooks)) h.after(this, x, y);
        return y;
    }

    /** The layer's computation; x and the result are in the layout the subclass documents. */
    protected abstract Tensor compute(Tensor x);

    /**
     * The forward of the child registered under name, looked up now: a module that calls its
     * children this way (rather than through fields) follows {@link #replaceChild}, so the repair
     * can swap a layer or a block for its relaxed or repaired version.
     */
    protected final Tensor forwardChild(String name, Tensor x) {
        Module m = children.get(name);
        if (m == null) throw new IllegalStateException(getClass().getSimpleName() + " has no child '" + name + "'");
        return m.forward(x);
    }

    public final HookHandle addForwardHook(ForwardHook hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    // ---------------------------------------------------------------- registration

    /** Register a trainable tensor under name (it is marked requiresGrad). */
    protected final Tensor parameter(String name, Tensor t) {
        checkName(name);
        t.setRequiresGrad(true);
        parameters.put(name, t);
        return t;
    }

    /** Register a non-trainable state tensor (running statistics) under name. */
    protected final Tensor buffer(String name, Tensor t) {
        checkName(name);
        buffers.put(name, t);
        return t;
    }

    /** Register a child module under name. */
    protected final <M extends Module> M child(String name, M m) {
        checkName(name);
        children.put(name, m);
        return m;
    }

    /** Replace an existing child (the repair swaps a block for its relaxed or repaired version). */
    public final <M extends Module> M replaceChild(String name, M m) {
        if (!children.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no child '" + name + "'");
        children.put(name, m);
        return m;
    }

    /**
     * Replace the consecutive children olds (in registration order) by one child m registered under
     * name at their place: a DenseNet pair block "4", "5" becomes "4-5". The order of the other
     * children is kept, so a {@link Sequential} runs m where the olds ran.
     */
    public final <M extends Module> M replaceChildren(List<String> olds, String name, M m) {
        List<String> names = new ArrayList<>(children.keySet());
        int first = olds.isEmpty() ? -1 : names.indexOf(olds.get(0));
        if (first < 0 || first + olds.size() > names.size() || !names.subList(first, first + olds.size()).equals(olds))
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no consecutive children " + olds
                    + " (children: " + names + ")");
        checkSyntax(name);
        if (children.containsKey(name) && !olds.contains(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has '" + name + "'");
        Map<String, Module> rebuilt = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (i == first) rebuilt.put(name, m);
            if (i < first || i >= first + olds.size()) rebuilt.put(names.get(i), children.get(names.get(i)));
        }
        children.clear();
        children.putAll(rebuilt);
        return m;
    }

    private static void checkSyntax(String name) {
        if (name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException("invalid name '" + name + "': non-empty, no dots");
    }

    private void checkName(String name) {
        checkSyntax(name);
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has '" + name + "'");
    }

    // ---------------------------------------------------------------- views

    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** The descendant at a dotted path ("layer2.0.conv1"); "" is this module. */
    public final Module get(String path) {
        Module m = this;
        if (path.isEmpty()) return m;
        for (String part : path.split("\\.")) {
            Module next = m.children.get(part);
            if (next == null)
                throw new IllegalArgumentException("no module '" + path + "' (missing '" + part + "' in "
                        + m.getClass().getSimpleName() + ")");
            m = next;
        }
        return m;
    }

    /** This module ("") and every descendant, by dotted path, in registration order. */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String prefix, Map<String, Module> out) {
        out.put(prefix, this);
        children.forEach((n, c) -> c.collectModules(join(prefix, n), out));
    }

    /** Every parameter of this module and its descendants, by dotted path. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedModules().forEach((path, m) -> m.parameters.forEach((n, t) -> out.put(join(path, n), t)));
        return out;
    }

    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters that currently require grad (not frozen). */
    public final List<Tensor> trainableParameters() {
        return parameters().stream().filter(Tensor::requiresGrad).toList();
    }

    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedModules().forEach((path, m) -> m.buffers.forEach((n, t) -> out.put(join(path, n), t)));
        return out;
    }

    /**
     * Parameters and buffers in PyTorch's state_dict order: each module's own parameters, then its own
     * buffers, then its children depth first.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedModules().forEach((path, m) -> {
            m.parameters.forEach((n, t) -> out.put(join(path, n), t));
            m.buffers.forEach((n, t) -> out.put(join(path, n), t));
        });
        return out;
    }

    /** Number of parameter elements (weights and BN affine parameters, not running statistics). */
    public final long parameterCount() {
        return parameters().stream().mapToLong(Tensor::numel).sum();
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    // ---------------------------------------------------------------- modes

    /** Training mode for this module and its descendants (batch statistics in BN). */
    public final Module train(boolean on) {
        namedModules().values().forEach(m -> m.training = on);
        return this;
    }

    /**
     * A restorer of the current mode of this module and every descendant: a pass in eval mode in the
     * middle of a search (frozen network in eval mode, relaxed block in training mode) puts back
     * exactly the modes it found.
     */
    public final Runnable snapshotModes() {
        Map<Module, Boolean> modes = new java.util.IdentityHashMap<>();
        namedModules().values().forEach(m -> modes.put(m, m.training));
        return () -> modes.forEach((m, t) -> m.training = t);
    }

    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Stop (or resume) training this module's parameters: they no longer require grad. */
    public final Module freeze() {
        parameters().forEach(p -> p.setRequiresGrad(false));
        return this;
    }

    public final Module unfreeze() {
        parameters().forEach(p -> p.setRequiresGrad(true));
        return this;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
