package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Arachne's differential evolution step by hand: bounds, rand/1/bin trial, clipping, greedy selection, stopping. */
class DifferentialEvolutionTest {
    @Test
    void boundsDoubleOrHalveTheLayersExtremes() {
        assertEquals(new DifferentialEvolution.Bounds(-1.0f, 0.6f), DifferentialEvolution.Bounds.of(new float[]{-0.5f, 0.2f, 0.3f}));
        assertEquals(new DifferentialEvolution.Bounds(0.05f, 0.8f), DifferentialEvolution.Bounds.of(new float[]{0.1f, 0.4f}));
        assertEquals(new DifferentialEvolution.Bounds(-0.8f, -0.05f), DifferentialEvolution.Bounds.of(new float[]{-0.4f, -0.1f}));
        assertEquals(3f, new DifferentialEvolution.Bounds(-1, 3).clip(4.5f));
        assertEquals(-1f, new DifferentialEvolution.Bounds(-1, 3).clip(-7f));
    }

    @Test
    void trialTakesTheMutantWhereTheCoinSaysOrTheIndexIsForced() {
        float[][] pop = {{0, 0, 0}, {1, 2, 3}, {4, 4, 4}, {1, 1, 1}};
        // F = 0.5, partners a = 1, b = 2, c = 3; u = {0.1 (< CR 0.7: mutant), 0.9 (keep x), 0.95 but forced}
        var draw = new DifferentialEvolution.Draw(1, 2, 3, 2, new double[]{0.1, 0.9, 0.95});
        float[] y = DifferentialEvolution.trial(pop, 0, draw, 0.5, new DifferentialEvolution.Bounds(-10, 10));
        assertArrayEquals(new float[]{1 + 0.5f * 3, 0, 3 + 0.5f * 3}, y);
        float[] clipped = DifferentialEvolution.trial(pop, 0, draw, 0.5, new DifferentialEvolution.Bounds(-10, 3));
        assertArrayEquals(new float[]{2.5f, 0, 3}, clipped);
        assertArrayEquals(new float[]{0, 0, 0}, pop[0], "the parent is left alone");
    }

    @Test
    void drawPicksThreeDistinctPartnersOtherThanTheIndividual() {
        Rng rng = new Rng(3);
        for (int t = 0; t < 500; t++) {
            int i = t % 5;
            var d = DifferentialEvolution.draw(i, 5, 4, rng);
            Set<Integer> s = new HashSet<>(java.util.List.of(d.a(), d.b(), d.c()));
            assertEquals(3, s.size());
            assertFalse(s.contains(i));
            assertTrue(d.forced() >= 0 && d.forced() < 4);
            for (double u : d.u()) assertTrue(u >= 0 && u < 1);
        }
    }

    @Test
    void aGenerationDrawsOneFactorThenEveryIndividualsTrialInOrder() {
        float[][] pop = new float[6][3];
        Rng init = new Rng(4);
        for (float[] x : pop) for (int j = 0; j < 3; j++) x[j] = init.uniform(-0.5f, 0.5f);
        var bounds = new DifferentialEvolution.Bounds(-0.5f, 0.5f);
        float[][] t = DifferentialEvolution.trials(pop, bounds, new Rng(9));
        Rng r = new Rng(9);
        double f = 0.5 + 0.5 * r.nextDouble();
        assertTrue(f >= 0.5 && f < 1);
        for (int i = 0; i < pop.length; i++)
            assertArrayEquals(DifferentialEvolution.trial(pop, i, DifferentialEvolution.draw(i, 6, 3, r), f, bounds), t[i]);
        for (float[] y : t) for (float v : y) assertTrue(v >= -0.5f && v <= 0.5f, "within bounds: " + v);
    }

    @Test
    void selectionKeepsTrialsThatAreAtLeastAsFit() {
        float[][] pop = {{1}, {2}, {3}};
        double[] fit = {5, 5, 5};
        float[][] trials = {{10}, {20}, {30}};
        DifferentialEvolution.select(pop, fit, trials, new double[]{6, 5, 4});
        assertArrayEquals(new float[]{10}, pop[0], "better: replaced");
        assertArrayEquals(new float[]{20}, pop[1], "equal: replaced (>=)");
        assertArrayEquals(new float[]{3}, pop[2], "worse: kept");
        assertArrayEquals(new double[]{6, 5, 5}, fit);
        assertEquals(1, DifferentialEvolution.best(new double[]{1, 7, 7, 2}), "the first on ties");
    }

    @Test
    void searchStopsWhenTheBestIsUnchangedForMoreThanATenthOfTheGenerations() {
        var s = new DifferentialEvolution.Stopper(100);
        assertEquals(10, s.limit);
        assertFalse(s.update(1.0), "the first best is only remembered");
        for (int g = 0; g < 10; g++) assertFalse(s.update(1.0 + 1e-12), "equal as float32, " + (g + 1) + " unchanged");
        assertTrue(s.update(1.0), "the 11th unchanged generation exceeds 10");
        s = new DifferentialEvolution.Stopper(300);
        assertEquals(30, s.limit);
        s.update(1.0);
        for (int g = 0; g < 20; g++) s.update(1.0);
        assertFalse(s.update(2.0), "a change resets");
        assertEquals(0, s.unchanged);
        assertEquals(2.0, s.best);
        assertEquals(10, new DifferentialEvolution.Stopper(20).limit, "at least 10");
    }

    @Test
    void firstPopulationFollowsTheLayersMeanAndSpread() {
        float[] w = new float[1000];
        Rng r = new Rng(1);
        for (int i = 0; i < w.length; i++) w[i] = 0.3f + 0.05f * r.normal();
        float[][] pop = DifferentialEvolution.initial(400, 50, w, new Rng(2));
        double m = 0, v = 0, wm = 0, wv = 0;
        for (float x : w) wm += x / w.length;
        for (float x : w) wv += (x - wm) * (x - wm) / w.length;
        for (float[] x : pop) for (float y : x) m += y / 20000.0;
        for (float[] x : pop) for (float y : x) v += (y - m) * (y - m) / 20000.0;
        assertEquals(wm, m, 4 * Math.sqrt(wv / 20000), "mean within 4 standard errors");
        assertEquals(Math.sqrt(wv), Math.sqrt(v), 0.03 * Math.sqrt(wv), "spread within 3%");
    }
}
