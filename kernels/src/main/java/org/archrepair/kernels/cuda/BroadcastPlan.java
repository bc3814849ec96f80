package org.archrepair.kernels.cuda;

import org.archrepair.kernels.BroadcastSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Host-side preparation of the broadcast kernels: the structs {@code BroadcastShape} (binary_f32) and
 * {@code ReducePlan} (sum_to_f32) of src-cuda, as the ints they hold. Dimensions of size 1 are dropped
 * and neighbours that the kernel can walk as one are merged, so a per-channel op on (n, c, h, w)
 * decodes 3 coordinates per element and a same-shape op only 1.
 */
final class BroadcastPlan {
    static final int MAX_BROADCAST_DIMS = 8, MAX_REDUCE_DIMS = 4;

    private BroadcastPlan() {
    }

    /**
     * {rank, dims[8], aStride[8], bStride[8]}: y's dimensions after merging, and the element strides of
     * a and b along them (0 where broadcast).
     */
    static int[] binary(BroadcastSpec spec) {
        int[] y = spec.yShape();
        long[] sa = BroadcastSpec.broadcastStrides(spec.aShape(), y), sb = BroadcastSpec.broadcastStrides(spec.bShape(), y);
        List<long[]> dims = new ArrayList<>();                      // {size, aStride, bStride}, outermost first
        for (int d = 0; d < y.length; d++) {
            if (y[d] == 1) continue;
            long[] inner = {y[d], sa[d], sb[d]};
            long[] outer = dims.isEmpty() ? null : dims.getLast();
            if (outer != null && outer[1] == inner[1] * inner[0] && outer[2] == inner[2] * inner[0]) {
                outer[0] *= inner[0];                                // walk outer and inner as one dimension
                outer[1] = inner[1];
                outer[2] = inner[2];
            } else {
                dims.add(inner);
            }
        }
        if (dims.isEmpty()) dims.add(new long[]{1, 0, 0});
        if (dims.size() > MAX_BROADCAST_DIMS)
            throw new IllegalArgumentException("broadcast " + spec + ": more than " + MAX_BROADCAST_DIMS
                    + " dimensions after merging, the GPU kernel's limit");
        int[] s = new int[1 + 3 * MAX_BROADCAST_DIMS];
        s[0] = dims.size();
        for (int i = 0; i < dims.size(); i++) {
            s[1 + i] = Math.toIntExact(dims.get(i)[0]);
            s[1 + MAX_BROADCAST_DIMS + i] = Math.toIntExact(dims.get(i)[1]);
            s[1 + 2 * MAX_BROADCAST_DIMS + i] = Math.toIntExact(dims.get(i)[2]);
        }
        return s;
    }

    /**
     * {keptRank, keptDims[4], keptStrides[4], reducedRank, reducedDims[4], reducedStrides[4],
     * reducedCount} for summing x down to y (y's dimensions equal x's or are 1), with x's element
     * strides; null when nothing is reduced (y is a copy of x).
     */
    static int[] sumTo(int[] xShape, int[] yShape) {
        List<long[]> kept = new ArrayList<>(), reduced = new ArrayList<>();   // {size, stride}
        long stride = 1;
        long[][] byDim = new long[xShape.length][];
        for (int d = xShape.length - 1; d >= 0; d--) {              // strides from the innermost out
            byDim[d] = new long[]{xShape[d], stride};
            stride *= xShape[d];
        }
        Boolean previousKept = null;
        for (int d = 0; d < xShape.length; d++) {
            if (xShape[d] == 1) continue;
            boolean keep = yShape[d] == xShape[d];
            List<long[]> into = keep ? kept : reduced;
            if (previousKept != null && previousKept == keep) {     // the same kind as the previous dimension: merge
                long[] outer = into.getLast();
                outer[0] *= byDim[d][0];
                outer[1] = byDim[d][1];
            } else {
                into.add(byDim[d].clone());
            }
            previousKept = keep;
        }
        if (reduced.isEmpty()) return null;
        if (kept.size() > MAX_REDUCE_DIMS || reduced.size() > MAX_REDUCE_DIMS)
            throw new IllegalArgumentException("sumTo " + Arrays.toString(xShape) + " -> " + Arrays.toString(yShape)
                    + ": more than " + MAX_REDUCE_DIMS + " alternating groups of dimensions, the GPU kernel's limit");
        int[] p = new int[3 + 4 * MAX_REDUCE_DIMS];
        put(p, 0, kept);
        put(p, 1 + 2 * MAX_REDUCE_DIMS, reduced);
        long count = 1;
        for (long[] r : reduced) count *= r[0];
        p[p.length - 1] = Math.toIntExact(count);
        return p;
    }

    private static void put(int[] p, int at, List<long[]> dims) {
        p[at] = dims.size();
        for (int i = 0; i < dims.size(); i++) {
            p[at + 1 + i] = Math.toIntExact(dims.get(i)[0]);
            p[at + 1 + MAX_REDUCE_DIMS + i] = Math.toIntExact(dims.get(i)[1]);
        }
    }
}
