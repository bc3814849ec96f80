package org.archrepair.repair.baselines;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** MODE's diagnosis by hand: label states, heat maps, the differential map, input selection, Bhattacharyya. */
class ModeAnalysisTest {
    @Test
    void labelsUnderOrOverFit() {
        assertEquals(ModeAnalysis.State.UNDERFIT, ModeAnalysis.classify(0.85, 0.85), "train accuracy below 0.9");
        assertEquals(ModeAnalysis.State.UNDERFIT, ModeAnalysis.classify(0.5, 0.1), "under-fitting comes first");
        assertEquals(ModeAnalysis.State.OVERFIT, ModeAnalysis.classify(0.95, 0.80), "gap 0.15 > 0.1");
        assertEquals(ModeAnalysis.State.OK, ModeAnalysis.classify(0.95, 0.9), "gap 0.05");
        assertEquals(ModeAnalysis.State.OK, ModeAnalysis.classify(1.0, 0.95));
    }

    @Test
    void accuracyPerLabel() {
        int[] labels = {0, 0, 1, 1, 1, 2}, pred = {0, 1, 1, 1, 0, 0};
        double[] acc = ModeAnalysis.perLabel(labels, pred, 4);
        assertEquals(0.5, acc[0]);
        assertEquals(2 / 3.0, acc[1], 1e-12);
        assertEquals(0.0, acc[2]);
        assertTrue(Double.isNaN(acc[3]), "a label without examples");
    }

    // features (d = 2) of: label 0 right ((1,0), (3,0)), label 1 predicted 0 ((0,4)), label 0 predicted 1 ((0,2)),
    // label 1 right ((5,5))
    private static final float[] F = {1, 0, 3, 0, 0, 4, 0, 2, 5, 5};
    private static final int[] LABELS = {0, 0, 1, 0, 1}, PRED = {0, 0, 0, 1, 1};

    @Test
    void heatMapsAndTheirDifference() {
        double[][] maps = ModeAnalysis.heatMaps(F, 2, LABELS, PRED, 0);
        assertArrayEquals(new double[]{2, 0}, maps[0], "HCI: label 0 right");
        assertArrayEquals(new double[]{0, 4}, maps[1], "HMI: misclassified as 0");
        assertArrayEquals(new double[]{0, 2}, maps[2], "HWI: label 0 misclassified");
        assertArrayEquals(new double[]{4, -6}, ModeAnalysis.differential(maps), "(HCI - HMI) + (HCI - HWI)");
        double[][] one = ModeAnalysis.heatMaps(F, 2, LABELS, PRED, 1);
        assertArrayEquals(new double[]{5, 5}, one[0]);
        assertArrayEquals(new double[]{0, 2}, one[1]);
        assertArrayEquals(new double[]{0, 4}, one[2]);
        assertNull(ModeAnalysis.heatMaps(F, 2, LABELS, PRED, 2)[0], "an empty set has no map");
        assertNull(ModeAnalysis.differential(ModeAnalysis.heatMaps(F, 2, LABELS, PRED, 2)));
        assertArrayEquals(new double[]{2, -4}, ModeAnalysis.differential(new double[][]{{2, 0}, {0, 4}, null}),
                "a missing map's term is left out");
    }

    @Test
    void underFittingTakesTheMostSimilarOverFittingTheLeast() {
        double[] map = {4, -6};
        int[] candidates = {0, 1, 3};                       // label 0: scores 4, 12, -12
        assertArrayEquals(new int[]{1, 0}, ModeAnalysis.select(F, 2, candidates, map, ModeAnalysis.State.UNDERFIT, 0.5));
        assertArrayEquals(new int[]{3, 0}, ModeAnalysis.select(F, 2, candidates, map, ModeAnalysis.State.OVERFIT, 0.5));
        assertArrayEquals(new int[]{1, 0, 3}, ModeAnalysis.select(F, 2, candidates, map, ModeAnalysis.State.UNDERFIT, 1));
    }

    @Test
    void bhattacharyyaDistance() {
        assertEquals(0, ModeAnalysis.bhattacharyya(new float[]{1, 2, 3}, new float[]{2, 4, 6}), 1e-12, "same after normalizing");
        assertEquals(1, ModeAnalysis.bhattacharyya(new float[]{1, 0}, new float[]{0, 1}), 1e-12, "disjoint");
        assertEquals(1 - (Math.sqrt(0.125) + Math.sqrt(0.375)), ModeAnalysis.bhattacharyya(new float[]{1, 1}, new float[]{1, 3}),
                1e-12);
    }
}
