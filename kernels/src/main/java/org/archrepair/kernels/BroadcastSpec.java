package org.archrepair.kernels;

import java.util.Arrays;

/**
 * Shapes of a broadcast binary op, NumPy rules: shapes are right-aligned, and each dimension of a
 * and b equals the output's or is 1. Inputs of lower rank are padded on the left with 1s here, so
 * all three arrays have the output's rank.
 */
public record BroadcastSpec(int[] aShape, int[] bShape, int[] yShape) {

    public BroadcastSpec {
        aShape = aShape.clone();
        bShape = bShape.clone();
        yShape = yShape.clone();
        if (aShape.length != yShape.length || bShape.length != yShape.length)
            throw new IllegalArgumentException("broadcast: ranks differ, use BroadcastSpec.of");
        for (int i = 0; i < yShape.length; i++) {
            if ((aShape[i] != yShape[i] && aShape[i] != 1) || (bShape[i] != yShape[i] && bShape[i] != 1))
                throw new IllegalArgumentException("broadcast: shapes " + Arrays.toString(aShape) + " and "
                        + Arrays.toString(bShape) + " do not broadcast to " + Arrays.toString(yShape));
        }
    }

    /** Broadcast two shapes of any rank; fails with both shapes named when they are incompatible. */
    public static BroadcastSpec of(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] pa = pad(a, rank), pb = pad(b, rank), y = new int[rank];
        for (int i = 0; i < rank; i++) {
            if (pa[i] != pb[i] && pa[i] != 1 && pb[i] != 1)
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast (dimension " + i + ")");
            y[i] = Math.max(pa[i], pb[i]);
        }
        return new BroadcastSpec(pa, pb, y);
    }

    public static int[] pad(int[] shape, int rank) {
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        System.arraycopy(shape, 0, out, rank - shape.length, shape.length);
        return out;
    }

    public static long volume(int[] shape) {
        long v = 1;
        for (int d : shape) v *= d;
        return v;
    }

    /** Row-major strides of shape, with 0 where the dimension is broadcast (size 1 against a larger y). */
    public static long[] broadcastStrides(int[] shape, int[] yShape) {
        long[] st = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = shape[i] == 1 && yShape[i] != 1 ? 0 : acc;
            acc *= shape[i];
        }
        return st;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BroadcastSpec s && Arrays.equals(aShape, s.aShape) && Arrays.equals(bShape, s.bShape)
                && Arrays.equals(yShape, s.yShape);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(yShape) * 31 + Arrays.hashCode(aShape) * 17 + Arrays.hashCode(bShape);
    }

    @Override
    public String toString() {
        return Arrays.toString(aShape) + " (op) " + Arrays.toString(bShape) + " -> " + Arrays.toString(yShape);
    }
}
