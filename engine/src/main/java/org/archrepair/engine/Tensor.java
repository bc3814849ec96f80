package org.archrepair.engine;

import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.autograd.Function;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;

import java.util.Arrays;

/**
 * A float32 (or int32, for labels) array with a shape, living on one backend: contiguous,
 * row-major, NCHW for images. A tensor made by a differentiable {@link Function} remembers it, so
 * that {@link Autograd#grad} can walk back from a loss to any leaves.
 *
 * <p>What this is not: no strides, views or dtype promotion. Every op writes a fresh buffer, except
 * {@link #reshape}, which shares it, and the optimizers, which update parameters in place.
 * The ops themselves live in {@link Ops}; the instance methods here are shorthands for them.
 */
public final class Tensor {
    private final Backend backend;
    private final int[] shape;
    private final DeviceBuffer data;
    private final Function gradFn;
    private boolean requiresGrad;

    private Tensor(DeviceBuffer data, int[] shape, Function gradFn, boolean requiresGrad) {
        long volume = volume(shape);
        if (data.length() != volume)
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + volume
                    + " elements, buffer has " + data.length());
        this.backend = data.backend();
        this.shape = shape.clone();
        this.data = data;
        this.gradFn = gradFn;
        this.requiresGrad = requiresGrad;
    }

    // ---------------------------------------------------------------- creation

    /** A leaf holding a copy of values. */
    public static Tensor of(Backend backend, float[] values, int... shape) {
        if (values.length != volume(shape))
            throw new IllegalArgumentException(values.length + " values do not fill shape " + Arrays.toString(shape));
        return new Tensor(backend.upload(values), shape, null, false);
    }

    /** An int32 leaf (class labels). */
    public static Tensor ofInts(Backend backend, int[] values, int... shape) {
        if (values.length != volume(shape))
            throw new IllegalArgumentException(values.length + " values do not fill shape " + Arrays.toString(shape));
        return new Tensor(backend.upload(values), shape, null, false);
    }

    public static Tensor zeros(Backend backend, int... shape) {
        return new Tensor(backend.allocateZeroed(DType.F32, volume(shape)), shape, null, false);
    }

    public static Tensor full(Backend backend, float value, int... shape) {
        if (value == 0f) return zeros(backend, shape);
        Tensor t = new Tensor(backend.allocateUninitialized(DType.F32, volume(shape)), shape, null, false);
        backend.fill(t.data, value);
        return t;
    }

    /** Wrap a buffer as a leaf (no copy). */
    public static Tensor wrap(DeviceBuffer data, int... shape) {
        return new Tensor(data, shape, null, false);
    }

    /**
     * The output of a differentiable function. It records fn (and so its inputs) only when grad
     * mode is on and some input requires a gradient; otherwise it is a plain constant.
     */
    public static Tensor result(DeviceBuffer data, int[] shape, Function fn) {
        boolean track = Autograd.isGradEnabled() && fn.anyInputRequiresGrad();
        return new Tensor(data, shape, track ? fn : null, track);
    }

    // ---------------------------------------------------------------- accessors

    public Backend backend() {
        return backend;
    }

    public DeviceBuffer data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        return data.length();
    }

    public DType dtype() {
        return data.dtype();
    }

    /** The function that made this tensor, or null for leaves and constants. */
    public Function gradFn() {
        return gradFn;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Mark a leaf as trainable (or not). Only leaves can change this. */
    public Tensor setRequiresGrad(boolean value) {
        if (gradFn != null) throw new IllegalStateException("requiresGrad can only be set on leaves");
        if (value && data.dtype() != DType.F32) throw new IllegalStateException("only float tensors can require grad");
        requiresGrad = value;
        return this;
    }

    /** The same data, cut from the graph. */
    public Tensor detach() {
        return new Tensor(data, shape, null, false);
    }

    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(numel())];
        backend.download(data, out);
        return out;
    }

    public int[] toIntArray() {
        int[] out = new int[Math.toIntExact(numel())];
        backend.download(data, out);
        return out;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel() != 1) throw new IllegalStateException("item() on a tensor of shape " + Arrays.toString(shape));
        return toFloatArray()[0];
    }

    /** Overwrite this tensor's values in place (parameters, buffers, checkpoint loading). */
    public void copyFrom(float[] values) {
        if (values.length != numel())
            throw new IllegalArgumentException(values.length + " values for a tensor of shape " + Arrays.toString(shape));
        backend.copy(backend.upload(values), 0, data, 0, values.length);
    }

    /** Overwrite this tensor's values in place with another tensor's (same shape). */
    public void copyFrom(Tensor other) {
        if (!Arrays.equals(shape, other.shape))
            throw new IllegalArgumentException("copy from shape " + Arrays.toString(other.shape) + " into "
                    + Arrays.toString(shape));
        backend.copy(other.data, 0, data, 0, numel());
    }

    // ---------------------------------------------------------------- shorthands (see Ops)

    public Tensor add(Tensor o) {
        return Ops.add(this, o);
    }

    public Tensor sub(Tensor o) {
        return Ops.sub(this, o);
    }

    public Tensor mul(Tensor o) {
        return Ops.mul(this, o);
    }

    public Tensor div(Tensor o) {
        return Ops.div(this, o);
    }

    public Tensor mul(float a) {
        return Ops.affine(this, a, 0f);
    }

    public Tensor relu() {
        return Ops.relu(this);
    }

    public Tensor sum() {
        return Ops.sum(this);
    }

    public Tensor mean() {
        return Ops.mean(this);
    }

    public Tensor reshape(int... newShape) {
        return Ops.reshape(this, newShape);
    }

    public Tensor flatten() {
        return Ops.flatten(this);
    }

    // ---------------------------------------------------------------- helpers

    public static long volume(int[] shape) {
        long v = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            v *= d;
        }
        return v;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + (data.dtype() == DType.I32 ? " i32" : "")
                + (requiresGrad ? " requiresGrad" : "") + (gradFn != null ? " <- " + gradFn.name() : "")
                + " on " + backend.name();
    }
}
