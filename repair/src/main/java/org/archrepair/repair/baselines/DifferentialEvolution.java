package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;

/**
 * Arachne's search (coinse/arachne: arachne/search/de_vk.py): differential evolution over the
 * values of the localized weights, maximizing a fitness.
 * <ul>
 *   <li>population 100, every value ~ N(mean, std) of the target layer's weights;</li>
 *   <li>each generation one F ~ U(0.5, 1); for every individual x three distinct others a, b, c,
 *       and the trial y_j = clip(a_j + F (b_j - c_j), lo, hi) where U(0, 1) < CR = 0.7 or j is the
 *       one forced index, y_j = x_j elsewhere (rand/1/bin);</li>
 *   <li>bounds of the layer's weights: lo = 2 min if min < 0 else min / 2, hi = 2 max if max > 0
 *       else max / 2;</li>
 *   <li>y replaces x when fitness(y) >= fitness(x);</li>
 *   <li>at most maxGenerations; stop once the best fitness (as float32) has stayed the same for
 *       more than max(10, maxGenerations / 10) generations.</li>
 * </ul>
 * Deviation: the original replaces x right after y is scored, so later trials of a generation may
 * use it; here every trial of a generation comes from the generation's starting population and all
 * of them are scored together (scipy's "deferred" updating), which lets one batched pass score the
 * whole population.
 */
final class DifferentialEvolution {
    static final int POPULATION = 100;
    static final double F_LO = 0.5, F_HI = 1.0, CR = 0.7;

    private DifferentialEvolution() {
    }

    /** The clipping range of a layer's weights. */
    record Bounds(float lo, float hi) {
        static Bounds of(float[] weights) {
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (float w : weights) {
                min = Math.min(min, w);
                max = Math.max(max, w);
            }
            return new Bounds(min < 0 ? min * 2 : min / 2, max > 0 ? max * 2 : max / 2);
        }

        float clip(float v) {
            return Math.max(lo, Math.min(hi, v));
        }
    }

    /** The first population: size individuals of d values ~ N(mean, std) of the layer's weights. */
    static float[][] initial(int size, int d, float[] layerWeights, Rng rng) {
        double mean = 0, var = 0;
        for (float w : layerWeights) mean += w;
        mean /= layerWeights.length;
        for (float w : layerWeights) var += (w - mean) * (w - mean);
        double std = Math.sqrt(var / layerWeights.length);
        float[][] pop = new float[size][d];
        for (float[] x : pop) for (int j = 0; j < d; j++) x[j] = (float) (mean + std * rng.normal());
        return pop;
    }

    /** The random choices of one trial: partners a, b, c, the forced index and d uniforms. */
    record Draw(int a, int b, int c, int forced, double[] u) {
    }

    /** The choices for individual i of a population of n with d values: three distinct partners other than i. */
    static Draw draw(int i, int n, int d, Rng rng) {
        int[] others = new int[n - 1];
        for (int k = 0, o = 0; k < n; k++) if (k != i) others[o++] = k;
        int[] pick = SenseiTransform.sample(others.length, 3, rng);
        int forced = rng.nextInt(d);
        double[] u = new double[d];
        for (int j = 0; j < d; j++) u[j] = rng.nextDouble();
        return new Draw(others[pick[0]], others[pick[1]], others[pick[2]], forced, u);
    }

    /** The trial vector of x from the draw (rand/1 mutation, binomial crossover with one forced index, clipping). */
    static float[] trial(float[][] pop, int i, Draw draw, double f, Bounds bounds) {
        float[] x = pop[i], a = pop[draw.a()], b = pop[draw.b()], c = pop[draw.c()], y = x.clone();
        for (int j = 0; j < x.length; j++)
            if (j == draw.forced() || draw.u()[j] < CR) y[j] = bounds.clip((float) (a[j] + f * (b[j] - c[j])));
        return y;
    }

    /** Every individual's trial for one generation, with this generation's F (drawn first from rng). */
    static float[][] trials(float[][] pop, Bounds bounds, Rng rng) {
        double f = F_LO + (F_HI - F_LO) * rng.nextDouble();
        float[][] out = new float[pop.length][];
        for (int i = 0; i < pop.length; i++) out[i] = trial(pop, i, draw(i, pop.length, pop[i].length, rng), f, bounds);
        return out;
    }

    /** Greedy replacement: trials that score at least as well replace their parents, in place. */
    static void select(float[][] pop, double[] fitness, float[][] trials, double[] trialFitness) {
        for (int i = 0; i < pop.length; i++)
            if (trialFitness[i] >= fitness[i]) {
                pop[i] = trials[i];
                fitness[i] = trialFitness[i];
            }
    }

    /** Index of the fittest individual (the first on ties). */
    static int best(double[] fitness) {
        int b = 0;
        for (int i = 1; i < fitness.length; i++) if (fitness[i] > fitness[b]) b = i;
        return b;
    }

    /**
     * is_the_performance_unchanged: the first best is remembered; afterwards an equal best (as
     * float32) counts one more unchanged generation, another resets the count (and a larger one is
     * remembered); the search stops when the count exceeds limit = max(10, maxGenerations / 10).
     */
    static final class Stopper {
        final int limit;
        Double best;
        int unchanged;

        Stopper(int maxGenerations) {
            this.limit = Math.max(10, maxGenerations / 10);
        }

        /** Feed the generation's best fitness; true when the search should stop. */
        boolean update(double generationBest) {
            if (best == null) {
                best = generationBest;
                return false;
            }
            if ((float) generationBest == (float) (double) best) unchanged++;
            else {
                unchanged = 0;
                if (generationBest > best) best = generationBest;
            }
            return unchanged > limit;
        }
    }
}
