package org.archrepair.bench;

import java.util.SplittableRandom;

/**
 * Seeded random inputs for the benchmarks and the conformance test: the same seed gives the same
 * numbers on every machine and JDK (SplittableRandom's algorithm is specified).
 *
 * <p>What this is not: the engine's RNG for initialization or data order.
 */
public final class Data {
    private Data() {
    }

    /** length values from N(0, scale^2). */
    public static float[] gaussian(long seed, int length, float scale) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float) (random.nextGaussian() * scale);
        return a;
    }

    /** length values uniform in [lo, hi). */
    public static float[] uniform(long seed, int length, float lo, float hi) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float) random.nextDouble(lo, hi);
        return a;
    }

    /** rows labels uniform in [0, classes). */
    public static int[] labels(long seed, int rows, int classes) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] a = new int[rows];
        for (int i = 0; i < rows; i++) a[i] = random.nextInt(classes);
        return a;
    }

    /**
     * length pairwise distinct values in about [-1, 1): a shuffled ramp with steps of 2 / length
     * plus jitter below a quarter step. No two inputs of a max-pooling window tie, so every
     * implementation must pick the same argmax, and each gap (at least 1.5 / length) is far above
     * float rounding for the sizes we use (length < 2^20).
     */
    public static float[] distinct(long seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[length];
        for (int i = 0; i < length; i++) order[i] = i;
        for (int i = length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double step = 2.0 / length;
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float) (-1 + step * (order[i] + 0.25 * random.nextDouble()));
        return a;
    }
}
