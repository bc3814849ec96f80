package org.archrepair.repair.baselines;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Apricot's weight adjustment by hand, with both signs. */
class ApricotUpdateTest {
    // w = (1, 2); models 0 and 1 right (mean (1, 1)), model 2 wrong (mean (4, 6)); p_c = 2/3, p_i = 1/3:
    // p_c (w - w_c) - p_i (w - w_i) = 2/3 (0, 1) - 1/3 (-3, -4) = (1, 2)
    private static final float[][] REDUCED = {{0, 0}, {2, 2}, {4, 6}};
    private static final boolean[] RIGHT = {true, true, false};

    @Test
    void originalSignMovesAwayFromTheCorrectModels() {
        float[] w = {1, 2};
        assertTrue(ApricotUpdate.adjust(w, REDUCED, RIGHT, 0.1, ApricotMethod.Sign.ORIGINAL));
        assertArrayEquals(new float[]{1.1f, 2.2f}, w, 1e-6f);
    }

    @Test
    void intuitiveSignMovesTowardThem() {
        float[] w = {1, 2};
        assertTrue(ApricotUpdate.adjust(w, REDUCED, RIGHT, 0.1, ApricotMethod.Sign.INTUITIVE));
        assertArrayEquals(new float[]{0.9f, 1.8f}, w, 1e-6f);
    }

    @Test
    void skippedWhenAllModelsAgree() {
        float[] w = {1, 2};
        assertFalse(ApricotUpdate.adjust(w, REDUCED, new boolean[]{true, true, true}, 0.1, ApricotMethod.Sign.ORIGINAL));
        assertFalse(ApricotUpdate.adjust(w, REDUCED, new boolean[]{false, false, false}, 0.1, ApricotMethod.Sign.ORIGINAL));
        assertArrayEquals(new float[]{1, 2}, w);
    }

    @Test
    void budgetSplitsBetweenReducedModelsAndRounds() {
        assertEquals(4, ApricotMethod.rounds(8));
        assertEquals(5, ApricotMethod.rounds(9));
        assertEquals(1, ApricotMethod.rounds(1));
        assertEquals(200, ApricotMethod.subsetSize(8, 1000, 20), "4 epochs of 1000 images over 20 models");
        assertEquals(1000, ApricotMethod.subsetSize(100, 25000, 20), "at most 1,000");
        assertEquals(2, ApricotMethod.subsetSize(2, 10, 20), "at least 2");
    }
}
