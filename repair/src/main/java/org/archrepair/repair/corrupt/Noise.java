package org.archrepair.repair.corrupt;

import org.archrepair.engine.Rng;

import static org.archrepair.repair.corrupt.Pixels.clip01;

/**
 * The three noises of CIFAR-10-C, independently per element (every channel of every pixel):
 * gaussian_noise clip(x + N(0, sigma^2)); shot_noise clip(Poisson(x c) / c); impulse_noise
 * (skimage's salt and pepper) replaces an element with probability {@code amount} by 1 or 0 with
 * equal odds. x in [0, 1]; the result is saved as uint8 by truncation.
 */
final class Noise {
    static final double[] GAUSSIAN_SIGMA = {0.04, 0.06, 0.08, 0.09, 0.10};
    static final int[] SHOT_C = {500, 250, 100, 75, 50};
    static final double[] IMPULSE_AMOUNT = {0.01, 0.02, 0.03, 0.05, 0.07};

    private Noise() {
    }

    static byte[] gaussian(byte[] x, int severity, Rng rng) {
        double sigma = GAUSSIAN_SIGMA[severity - 1];
        byte[] out = new byte[x.length];
        for (int i = 0; i < x.length; i++)
            out[i] = (byte) (int) (clip01((x[i] & 0xff) / 255.0 + sigma * rng.normal()) * 255);
        return out;
    }

    static byte[] shot(byte[] x, int severity, Rng rng) {
        int c = SHOT_C[severity - 1];
        PoissonTables.Table[] tables = PoissonTables.FOR_SEVERITY[severity - 1];
        byte[] out = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
            int k = tables[x[i] & 0xff].sample(rng.nextDouble());
            out[i] = (byte) (int) (clip01((double) k / c) * 255);
        }
        return out;
    }

    static byte[] impulse(byte[] x, int severity, Rng rng) {
        double amount = IMPULSE_AMOUNT[severity - 1];
        byte[] out = new byte[x.length];
        for (int i = 0; i < x.length; i++)
            out[i] = rng.nextDouble() < amount ? (byte) (rng.nextBoolean() ? 255 : 0) : x[i];
        return out;
    }

    /**
     * Exact Poisson sampling by inverting the CDF. The rate x c has only 256 values per severity (x is
     * a byte / 255), so each gets its CDF table once, with a guide table (the first candidate for each
     * 1/64 of the unit interval) so that a draw is one uniform and two or three comparisons.
     */
    static final class PoissonTables {
        static final Table[][] FOR_SEVERITY = new Table[SHOT_C.length][];
        private static final int GUIDE = 64;

        static {
            for (int s = 0; s < SHOT_C.length; s++) {
                FOR_SEVERITY[s] = new Table[256];
                for (int v = 0; v < 256; v++) FOR_SEVERITY[s][v] = new Table(cdf(v / 255.0 * SHOT_C[s]));
            }
        }

        private PoissonTables() {
        }

        /** cdf[k] = P(K <= k); guide[g] = the smallest k with cdf[k] > g / GUIDE. */
        record Table(double[] cdf, int[] guide) {
            Table(double[] cdf) {
                this(cdf, guide(cdf));
            }

            private static int[] guide(double[] cdf) {
                int[] g = new int[GUIDE];
                for (int i = 0, k = 0; i < GUIDE; i++) {
                    while (k < cdf.length - 1 && cdf[k] <= (double) i / GUIDE) k++;
                    g[i] = k;
                }
                return g;
            }

            /** The smallest k with cdf[k] > u (the last k if rounding left u above the table). */
            int sample(double u) {
                int k = guide[(int) (u * GUIDE)];
                while (k < cdf.length - 1 && cdf[k] <= u) k++;
                return k;
            }
        }

        /** P(K <= k) for k = 0, 1, ... until the remaining mass is below 1e-18 and k is past the mean. */
        static double[] cdf(double lambda) {
            int cap = (int) (lambda + 40 * Math.sqrt(lambda) + 40);
            double[] out = new double[cap + 1];
            double p = Math.exp(-lambda), sum = p;
            out[0] = sum;
            int k = 0;
            while (k < cap && (k < lambda || p > 1e-18)) {
                k++;
                p *= lambda / k;
                sum += p;
                out[k] = sum;
            }
            return java.util.Arrays.copyOf(out, k + 1);
        }
    }
}
