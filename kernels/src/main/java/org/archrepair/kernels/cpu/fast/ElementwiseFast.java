package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.UnaryOp;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;

/**
 * Parallel, vectorized elementwise primitives: unary ops, ReLU backward, affine, axpy, the DARTS
 * mixed sum, and dot. Every per-element result is bitwise the reference's: the vector code does
 * the same IEEE operations in the same order (multiply then add, never a fused multiply-add where
 * the reference rounds twice), and EXP/LOG/SQRT use {@link UnaryOp#apply} itself. Only dot and the
 * mixed-sum weight gradient are reductions (per-part double partials added in part order).
 *
 * <p>What this is not: broadcasting ({@link BroadcastFast}) or argument checking (CpuBackend).
 */
public final class ElementwiseFast {
    private ElementwiseFast() {
    }

    /** Elements per part at least: below ~32K floats a hand-off costs more than the work. */
    static final int GRAIN = 1 << 15;

    /** y[i] = op(x[i]); y may be x. x, y: (len). */
    public static void unary(Parallel par, UnaryOp op, float[] x, float[] y) {
        par.forRange(x.length, GRAIN, (lo, hi) -> {
            int i = lo;
            switch (op) {
                case RELU -> {
                    FloatVector zero = FloatVector.zero(F);
                    // x > 0 ? x : 0 (NaN and -0 give +0), as the scalar definition; not lanewise MAX.
                    for (; i + L <= hi; i += L) {
                        FloatVector v = FloatVector.fromArray(F, x, i);
                        zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
                    }
                }
                case NEG -> {
                    for (; i + L <= hi; i += L) FloatVector.fromArray(F, x, i).neg().intoArray(y, i);
                }
                case ABS -> {
                    for (; i + L <= hi; i += L) FloatVector.fromArray(F, x, i).abs().intoArray(y, i);
                }
                case SQUARE -> {
                    for (; i + L <= hi; i += L) {
                        FloatVector v = FloatVector.fromArray(F, x, i);
                        v.mul(v).intoArray(y, i);
                    }
                }
                default -> {
                }
            }
            for (; i < hi; i++) y[i] = op.apply(x[i]);
        });
    }

    /** dx[i] = y[i] > 0 ? dy[i] : 0. y, dy, dx: (len). */
    public static void reluBackward(Parallel par, float[] y, float[] dy, float[] dx) {
        par.forRange(y.length, GRAIN, (lo, hi) -> {
            FloatVector zero = FloatVector.zero(F);
            int i = lo;
            for (; i + L <= hi; i += L) {
                FloatVector g = FloatVector.fromArray(F, dy, i);
                zero.blend(g, FloatVector.fromArray(F, y, i).compare(VectorOperators.GT, 0f)).intoArray(dx, i);
            }
            for (; i < hi; i++) dx[i] = y[i] > 0f ? dy[i] : 0f;
        });
    }

    /** y[i] = a * x[i] + b (rounded after the product, as the reference); y may be x. x, y: (len). */
    public static void affine(Parallel par, float[] x, float[] y, float a, float b) {
        par.forRange(x.length, GRAIN, (lo, hi) -> {
            int i = lo;
            for (; i + L <= hi; i += L) FloatVector.fromArray(F, x, i).mul(a).add(b).intoArray(y, i);
            for (; i < hi; i++) y[i] = a * x[i] + b;
        });
    }

    /** y[i] += a * x[i]. x, y: (len). */
    public static void axpy(Parallel par, float a, float[] x, float[] y) {
        par.forRange(x.length, GRAIN, (lo, hi) -> {
            int i = lo;
            for (; i + L <= hi; i += L)
                FloatVector.fromArray(F, y, i).add(FloatVector.fromArray(F, x, i).mul(a)).intoArray(y, i);
            for (; i < hi; i++) y[i] += a * x[i];
        });
    }

    /** sum a[i] b[i] in double: per-part partials in part order. a, b: (len). */
    public static double dot(Parallel par, float[] a, float[] b) {
        int parts = par.partsFor(a.length, GRAIN);
        double[] partial = new double[parts];
        par.run(parts, (part, s) -> {
            int lo = Parallel.split(a.length, parts, part), hi = Parallel.split(a.length, parts, part + 1);
            partial[part] = Sums.dot(a, lo, b, lo, hi - lo);
        });
        double total = 0;
        for (double p : partial) total += p;
        return total;
    }

    /** y = sum_k weights[k] xs[k], accumulated in k order from 0 like the reference. xs[k], y: (len); weights: (xs.length). */
    public static void mixedSum(Parallel par, float[][] xs, float[] weights, float[] y) {
        par.forRange(y.length, GRAIN / 4, (lo, hi) -> {
            int i = lo;
            for (; i + L <= hi; i += L) {
                FloatVector acc = FloatVector.zero(F);
                for (int k = 0; k < xs.length; k++) acc = acc.add(FloatVector.fromArray(F, xs[k], i).mul(weights[k]));
                acc.intoArray(y, i);
            }
            for (; i < hi; i++) {
                float acc = 0f;
                for (int k = 0; k < xs.length; k++) acc += weights[k] * xs[k][i];
                y[i] = acc;
            }
        });
    }

    /** dxs[k] = weights[k] dy (entries may be null); dweights[k] = sum xs[k] dy (may be null). xs[k], dy, dxs[k]: (len); weights, dweights: (xs.length). */
    public static void mixedSumBackward(Parallel par, float[][] xs, float[] weights, float[] dy, float[][] dxs,
                                        float[] dweights) {
        for (int k = 0; k < xs.length; k++) {
            if (dxs[k] != null) {
                float[] dx = dxs[k];
                float wk = weights[k];
                par.forRange(dy.length, GRAIN, (lo, hi) -> {
                    int i = lo;
                    for (; i + L <= hi; i += L) FloatVector.fromArray(F, dy, i).mul(wk).intoArray(dx, i);
                    for (; i < hi; i++) dx[i] = wk * dy[i];
                });
            }
            if (dweights != null) dweights[k] = (float) dot(par, xs[k], dy);
        }
    }

    /** Same-shape y = a (op) b over [lo, hi), with b either a run (bStep 1) or one value (bStep 0); likewise a. */
    static void apply(BinaryOp op, float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] y, int yi, int len) {
        int i = 0;
        if (aStep == 1 && bStep == 1) {
            for (; i + L <= len; i += L) {
                FloatVector u = FloatVector.fromArray(F, a, ai + i), v = FloatVector.fromArray(F, b, bi + i);
                lanewise(op, u, v).intoArray(y, yi + i);
            }
        } else if (aStep == 1) {
            FloatVector v = FloatVector.broadcast(F, b[bi]);
            for (; i + L <= len; i += L) lanewise(op, FloatVector.fromArray(F, a, ai + i), v).intoArray(y, yi + i);
        } else if (bStep == 1) {
            FloatVector u = FloatVector.broadcast(F, a[ai]);
            for (; i + L <= len; i += L) lanewise(op, u, FloatVector.fromArray(F, b, bi + i)).intoArray(y, yi + i);
        }
        for (; i < len; i++) y[yi + i] = op.apply(a[ai + i * aStep], b[bi + i * bStep]);
    }

    private static FloatVector lanewise(BinaryOp op, FloatVector u, FloatVector v) {
        return switch (op) {
            case ADD -> u.add(v);
            case SUB -> u.sub(v);
            case MUL -> u.mul(v);
            case DIV -> u.div(v);
        };
    }
}
