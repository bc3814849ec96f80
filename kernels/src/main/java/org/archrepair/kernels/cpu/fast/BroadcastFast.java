package org.archrepair.kernels.cpu.fast;

import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;
import org.archrepair.kernels.cpu.ref.ElementwiseRef;

/**
 * Broadcast binary ops and their backward (sumTo), fast for the patterns of CNN training: same
 * shape, per-channel (N, C, H, W) (op) (1, C, 1, 1), per-sample, bias rows, and the matching
 * reductions. Shapes are first collapsed: size-1 output dimensions are dropped and neighbours
 * that step through memory together are merged, so (N, C, H, W) + (1, C, 1, 1) becomes three
 * dimensions with a contiguous inner run of H*W against one channel value.
 *
 * <p>binary is bitwise the reference (one IEEE operation per element). sumTo gives each output to
 * one worker with a fixed summation order ({@link Sums}), so it is bitwise reproducible for any
 * thread count (except a reduction to a single element, whose per-part partials are added in part
 * order), and within 1e-5 of the magnitude sum of the double reference. Reduction patterns other
 * than the ones below fall back to the reference.
 *
 * <p>What this is not: a general strided-tensor library.
 */
public final class BroadcastFast {
    private BroadcastFast() {
    }

    /** Collapsed dimensions, innermost first: sizes and the two operands' strides (0 = broadcast). */
    private record Dims(int[] size, long[] s1, long[] s2) {

        /** Drops size-1 dimensions of shape and merges neighbours whose strides chain. */
        static Dims collapse(int[] shape, long[] st1, long[] st2) {
            int[] size = new int[shape.length];
            long[] a = new long[shape.length], b = new long[shape.length];
            int n = 0;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (shape[d] == 1) continue;
                if (n > 0 && st1[d] == a[n - 1] * size[n - 1] && st2[d] == b[n - 1] * size[n - 1]) {
                    size[n - 1] *= shape[d];
                } else {
                    size[n] = shape[d];
                    a[n] = st1[d];
                    b[n] = st2[d];
                    n++;
                }
            }
            return new Dims(java.util.Arrays.copyOf(size, n), java.util.Arrays.copyOf(a, n),
                    java.util.Arrays.copyOf(b, n));
        }

        int rank() {
            return size.length;
        }
    }

    private static long[] contiguous(int[] shape) {
        long[] st = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = acc;
            acc *= shape[d];
        }
        return st;
    }

    /** y = a (op) b; a: spec.aShape, b: spec.bShape, y: spec.yShape (row-major). */
    public static void binary(Parallel par, BinaryOp op, BroadcastSpec spec, float[] a, float[] b, float[] y) {
        int[] ys = spec.yShape();
        Dims d = Dims.collapse(ys, BroadcastSpec.broadcastStrides(spec.aShape(), ys),
                BroadcastSpec.broadcastStrides(spec.bShape(), ys));
        if (d.rank() == 0) {
            if (y.length == 1) y[0] = op.apply(a[0], b[0]);
            return;
        }
        int inner = d.size()[0], aStep = (int) d.s1()[0], bStep = (int) d.s2()[0];
        par.forRange(y.length, ElementwiseFast.GRAIN, (lo, hi) -> {
            for (int pos = lo; pos < hi; ) {
                // Offsets of a and b at output position pos, from its collapsed multi-index.
                long ai = 0, bi = 0, rest = pos / inner;
                for (int k = 1; k < d.rank(); k++) {
                    long idx = rest % d.size()[k];
                    rest /= d.size()[k];
                    ai += idx * d.s1()[k];
                    bi += idx * d.s2()[k];
                }
                int at = pos % inner, len = Math.min(inner - at, hi - pos);
                ElementwiseFast.apply(op, a, (int) ai + at * aStep, aStep, b, (int) bi + at * bStep, bStep, y, pos, len);
                pos += len;
            }
        });
    }

    /** y = x summed down to yShape (same rank; reduced dimensions are 1 in yShape). x: xShape, y: yShape (row-major). */
    public static void sumTo(Parallel par, int[] xShape, float[] x, int[] yShape, float[] y) {
        long[] xs = contiguous(xShape), yst = BroadcastSpec.broadcastStrides(yShape, xShape);
        Dims d = Dims.collapse(xShape, xs, yst);
        int rank = d.rank();
        boolean innerReduced = rank > 0 && d.s2()[0] == 0;
        if (rank == 0) {
            y[0] = x[0];
        } else if (rank == 1 && !innerReduced) {
            System.arraycopy(x, 0, y, 0, y.length);
        } else if (rank == 1) {
            y[0] = (float) total(par, x);
        } else if (rank == 2 && innerReduced) {              // (K, R): contiguous runs
            int run = d.size()[0];
            par.forRange(d.size()[1], 1 + ElementwiseFast.GRAIN / run, (lo, hi) -> {
                for (int k = lo; k < hi; k++) y[k] = (float) Sums.sum(x, k * run, run);
            });
        } else if (rank == 2) {                               // (R, K): columns of a row-major block
            reduceRows(par, x, d.size()[1], d.size()[0], y);
        } else if (rank == 3 && innerReduced) {               // (R1, K, R2): per channel
            int run = d.size()[0], k = d.size()[1], outer = d.size()[2];
            par.forRange(k, 1, (lo, hi) -> {
                for (int c = lo; c < hi; c++) {
                    double acc = 0;
                    for (int o = 0; o < outer; o++) acc += Sums.sum(x, (o * k + c) * run, run);
                    y[c] = (float) acc;
                }
            });
        } else {
            ElementwiseRef.sumTo(xShape, x, yShape, y);
        }
    }

    /** Sum of all of x: fixed parts, partials added in part order. */
    private static double total(Parallel par, float[] x) {
        int parts = par.partsFor(x.length, ElementwiseFast.GRAIN);
        double[] partial = new double[parts];
        par.run(parts, (part, s) -> {
            int lo = Parallel.split(x.length, parts, part), hi = Parallel.split(x.length, parts, part + 1);
            partial[part] = Sums.sum(x, lo, hi - lo);
        });
        double t = 0;
        for (double p : partial) t += p;
        return t;
    }

    /** y[j] = sum_i x[i][j]; x: (rows, cols), y: (cols). Each worker owns a range of columns. */
    private static void reduceRows(Parallel par, float[] x, int rows, int cols, float[] y) {
        par.forRange(cols, Math.max(1, ElementwiseFast.GRAIN / rows), (lo, hi) -> {
            double[] acc = new double[hi - lo];
            for (int i = 0; i < rows; i++) {
                int base = i * cols;
                for (int j = lo; j < hi; j++) acc[j - lo] += x[base + j];
            }
            for (int j = lo; j < hi; j++) y[j] = (float) acc[j - lo];
        });
    }
}
