package org.archrepair.repair.baselines;

import java.util.ArrayList;
import java.util.List;

/**
 * The non-dominated points of a set, every objective to be maximized (Arachne's localization keeps
 * the weights on the Pareto front of its two costs): p is dominated when some q is at least as
 * large in every objective and larger in one. Equal points are all kept (the original's numpy loop
 * keeps one of them; it never matters for continuous costs).
 */
final class ParetoFront {
    private ParetoFront() {
    }

    /** Indices of the non-dominated rows of points (n, objectives), ascending. O(n log n) for two objectives. */
    static int[] of(double[][] points) {
        int n = points.length;
        if (n == 0) return new int[0];
        if (points[0].length != 2) return quadratic(points);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // by the first objective descending, then the second descending: a point is on the front when
        // its second objective beats every point before it that is strictly larger in the first
        java.util.Arrays.sort(order, (a, b) -> points[a][0] != points[b][0] ? Double.compare(points[b][0], points[a][0])
                : Double.compare(points[b][1], points[a][1]));
        List<Integer> front = new ArrayList<>();
        double bestSecond = Double.NEGATIVE_INFINITY;
        int i = 0;
        while (i < n) {
            int j = i;                         // the group with the same first objective
            while (j < n && points[order[j]][0] == points[order[i]][0]) j++;
            double groupMax = points[order[i]][1];
            for (int g = i; g < j; g++) {
                double s = points[order[g]][1];
                // dominated by an earlier group (larger first, >= second) or within the group (same first, larger second)
                if (s > bestSecond && s == groupMax) front.add(order[g]);
            }
            bestSecond = Math.max(bestSecond, groupMax);
            i = j;
        }
        return front.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The definition, for any number of objectives. */
    static int[] quadratic(double[][] points) {
        List<Integer> front = new ArrayList<>();
        for (int p = 0; p < points.length; p++) {
            boolean dominated = false;
            for (int q = 0; q < points.length && !dominated; q++) dominated = q != p && dominates(points[q], points[p]);
            if (!dominated) front.add(p);
        }
        return front.stream().mapToInt(Integer::intValue).toArray();
    }

    static boolean dominates(double[] q, double[] p) {
        boolean larger = false;
        for (int k = 0; k < q.length; k++) {
            if (q[k] < p[k]) return false;
            if (q[k] > p[k]) larger = true;
        }
        return larger;
    }
}
