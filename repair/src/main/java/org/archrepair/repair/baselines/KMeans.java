package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;

/**
 * Lloyd's k-means with k-means++ seeding (scikit-learn's KMeans, one initialization), on rows of
 * doubles: DeepRepair clusters each class's failures into k = 5 groups of standardized pixels
 * (SaikaQH/DeepRepair: preprocess_repair_data.py). Iterates until no assignment changes (or 100
 * rounds); an empty cluster keeps its center. Ties go to the lower cluster index.
 */
final class KMeans {
    private KMeans() {
    }

    /** Assignments of rows (n, d) to min(k, n) clusters, and their centers. */
    record Result(int[] assignment, double[][] centers) {
    }

    static Result fit(double[][] rows, int k, Rng rng) {
        int n = rows.length;
        if (n == 0) return new Result(new int[0], new double[0][]);
        k = Math.min(k, n);
        double[][] centers = seed(rows, k, rng);
        int[] assign = new int[n];
        java.util.Arrays.fill(assign, -1);
        for (int round = 0; round < 100; round++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int best = nearest(rows[i], centers);
                if (best != assign[i]) {
                    assign[i] = best;
                    changed = true;
                }
            }
            if (!changed) break;
            centers = means(rows, assign, centers);
        }
        return new Result(assign, centers);
    }

    /** k-means++: the first center uniformly, each next one with probability proportional to D(x)^2. */
    static double[][] seed(double[][] rows, int k, Rng rng) {
        int n = rows.length;
        double[][] centers = new double[k][];
        centers[0] = rows[rng.nextInt(n)].clone();
        double[] d2 = new double[n];
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) total += d2[i] = distance2(rows[i], centers[nearest(rows[i], java.util.Arrays.copyOf(centers, c))]);
            int pick = n - 1;
            double u = rng.nextDouble() * total, acc = 0;
            for (int i = 0; i < n; i++) {
                acc += d2[i];
                if (u < acc) {
                    pick = i;
                    break;
                }
            }
            centers[c] = rows[pick].clone();
        }
        return centers;
    }

    static int nearest(double[] x, double[][] centers) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centers.length; c++) {
            double d = distance2(x, centers[c]);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    private static double[][] means(double[][] rows, int[] assign, double[][] old) {
        int k = old.length, d = rows[0].length;
        double[][] sum = new double[k][d];
        int[] count = new int[k];
        for (int i = 0; i < rows.length; i++) {
            count[assign[i]]++;
            for (int j = 0; j < d; j++) sum[assign[i]][j] += rows[i][j];
        }
        for (int c = 0; c < k; c++) {
            if (count[c] == 0) sum[c] = old[c].clone();
            else for (int j = 0; j < d; j++) sum[c][j] /= count[c];
        }
        return sum;
    }

    static double distance2(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += (a[j] - b[j]) * (a[j] - b[j]);
        return s;
    }

    /** Each column scaled to zero mean and unit variance over the rows (StandardScaler; a constant column becomes 0). */
    static double[][] standardize(double[][] rows) {
        if (rows.length == 0) return rows;
        int n = rows.length, d = rows[0].length;
        double[][] out = new double[n][d];
        for (int j = 0; j < d; j++) {
            double mean = 0, var = 0;
            for (double[] r : rows) mean += r[j];
            mean /= n;
            for (double[] r : rows) var += (r[j] - mean) * (r[j] - mean);
            double sd = Math.sqrt(var / n);
            for (int i = 0; i < n; i++) out[i][j] = sd == 0 ? 0 : (rows[i][j] - mean) / sd;
        }
        return out;
    }
}
