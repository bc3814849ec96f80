package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The Pareto front of Arachne's two costs (both maximized), by hand and against the definition. */
class ParetoFrontTest {
    @Test
    void handComputedFront() {
        double[][] p = {
                {3, 1},   // 0 A: front
                {2, 2},   // 1 B: front
                {1, 3},   // 2 C: front
                {1, 1},   // 3 dominated by B
                {2, 1},   // 4 dominated by A and B
                {3, 1},   // 5 equal to A: kept
                {0, 3},   // 6 dominated by C (same second, larger first)
                {3, 0.5}, // 7 dominated by A (same first, larger second)
        };
        assertArrayEquals(new int[]{0, 1, 2, 5}, ParetoFront.of(p));
        assertArrayEquals(new int[]{0, 1, 2, 5}, ParetoFront.quadratic(p));
        assertArrayEquals(new int[]{0}, ParetoFront.of(new double[][]{{1, 1}}));
        assertArrayEquals(new int[0], ParetoFront.of(new double[0][]));
    }

    @Test
    void fastPathAgreesWithTheDefinitionOnTies() {
        Rng r = new Rng(5);
        for (int t = 0; t < 50; t++) {
            double[][] p = new double[60][2];
            for (double[] x : p) {
                x[0] = r.nextInt(8);
                x[1] = r.nextInt(8);
            }
            assertArrayEquals(ParetoFront.quadratic(p), ParetoFront.of(p), "case " + t);
        }
    }
}
