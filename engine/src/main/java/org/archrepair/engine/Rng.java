package org.archrepair.engine;

import java.util.SplittableRandom;

/**
 * The one seeded random source. Everything random (initialization, data order, augmentation,
 * failure sampling, search) takes an Rng, usually a {@link #fork} of the run's root so that adding
 * randomness in one place does not shift the stream of another.
 */
public final class Rng {
    private final SplittableRandom random;
    private final long seed;

    public Rng(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /** An independent stream derived from this seed and a label, not from this stream's position. */
    public Rng fork(String label) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < label.length(); i++) h = (h ^ label.charAt(i)) * 0x100000001B3L;
        return new Rng(h ^ (h >>> 29));
    }

    /** Uniform in [lo, hi). */
    public float uniform(float lo, float hi) {
        return lo + (hi - lo) * (float) random.nextDouble();
    }

    /** Standard normal. */
    public float normal() {
        return (float) random.nextGaussian();
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public boolean nextBoolean() {
        return random.nextBoolean();
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public long nextLong() {
        return random.nextLong();
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        shuffle(p);
        return p;
    }

    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    public float[] uniform(int n, float lo, float hi) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = uniform(lo, hi);
        return out;
    }

    public float[] normal(int n, float std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = normal() * std;
        return out;
    }
}
