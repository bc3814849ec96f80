package org.archrepair.kernels.cuda;

import org.archrepair.kernels.BroadcastSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The merged dimensions that binary_f32 and sum_to_f32 walk, written out by hand. */
class BroadcastPlanTest {

    /** {rank, dims.., aStrides.., bStrides..} with the unused entries zero. */
    private static int[] shape(int[] dims, int[] a, int[] b) {
        int[] s = new int[25];
        s[0] = dims.length;
        System.arraycopy(dims, 0, s, 1, dims.length);
        System.arraycopy(a, 0, s, 9, a.length);
        System.arraycopy(b, 0, s, 17, b.length);
        return s;
    }

    @Test
    void sameShapeIsOneDimension() {
        assertArrayEquals(shape(new int[]{8 * 16 * 32 * 32}, new int[]{1}, new int[]{1}),
                BroadcastPlan.binary(BroadcastSpec.of(new int[]{8, 16, 32, 32}, new int[]{8, 16, 32, 32})));
    }

    @Test
    void perChannelIsThreeDimensions() {
        assertArrayEquals(shape(new int[]{8, 16, 1024}, new int[]{16 * 1024, 1024, 1}, new int[]{0, 1, 0}),
                BroadcastPlan.binary(BroadcastSpec.of(new int[]{8, 16, 32, 32}, new int[]{1, 16, 1, 1})));
    }

    @Test
    void biasRowsAndScalars() {
        assertArrayEquals(shape(new int[]{128, 10}, new int[]{10, 1}, new int[]{0, 1}),
                BroadcastPlan.binary(BroadcastSpec.of(new int[]{128, 10}, new int[]{10})));
        assertArrayEquals(shape(new int[]{105}, new int[]{1}, new int[]{0}),
                BroadcastPlan.binary(BroadcastSpec.of(new int[]{5, 3, 7}, new int[]{1})));
        assertArrayEquals(shape(new int[]{1}, new int[]{0}, new int[]{0}),
                BroadcastPlan.binary(BroadcastSpec.of(new int[]{1}, new int[]{1})));
        // both sides broadcast: (3, 1, 5) with (1, 4, 1)
        assertArrayEquals(shape(new int[]{3, 4, 5}, new int[]{5, 0, 1}, new int[]{0, 1, 0}),
                BroadcastPlan.binary(BroadcastSpec.of(new int[]{3, 1, 5}, new int[]{1, 4, 1})));
    }

    /** {keptRank, keptDims[4], keptStrides[4], reducedRank, reducedDims[4], reducedStrides[4], count}. */
    private static int[] plan(int[] keptDims, int[] keptStrides, int[] redDims, int[] redStrides) {
        int[] p = new int[19];
        p[0] = keptDims.length;
        System.arraycopy(keptDims, 0, p, 1, keptDims.length);
        System.arraycopy(keptStrides, 0, p, 5, keptStrides.length);
        p[9] = redDims.length;
        System.arraycopy(redDims, 0, p, 10, redDims.length);
        System.arraycopy(redStrides, 0, p, 14, redStrides.length);
        p[18] = Arrays.stream(redDims).reduce(1, (x, y) -> x * y);
        return p;
    }

    @Test
    void channelSums() {
        assertArrayEquals(plan(new int[]{16}, new int[]{1024}, new int[]{8, 1024}, new int[]{16 * 1024, 1}),
                BroadcastPlan.sumTo(new int[]{8, 16, 32, 32}, new int[]{1, 16, 1, 1}));
        assertArrayEquals(plan(new int[]{10}, new int[]{1}, new int[]{128}, new int[]{10}),
                BroadcastPlan.sumTo(new int[]{128, 10}, new int[]{1, 10}));
        assertArrayEquals(plan(new int[]{128}, new int[]{1024}, new int[]{1024}, new int[]{1}),
                BroadcastPlan.sumTo(new int[]{8, 16, 32, 32}, new int[]{8, 16, 1, 1}));
    }

    @Test
    void everythingToAScalarAndAlternatingGroups() {
        assertArrayEquals(plan(new int[]{}, new int[]{}, new int[]{8 * 16 * 16}, new int[]{1}),
                BroadcastPlan.sumTo(new int[]{8, 16, 4, 4}, new int[]{1, 1, 1, 1}));
        // (6, 5, 4, 3) -> (6, 1, 4, 1): kept 6 (stride 60) and 4 (stride 3), reduced 5 (stride 12) and 3 (stride 1)
        int[] p = BroadcastPlan.sumTo(new int[]{6, 5, 4, 3}, new int[]{6, 1, 4, 1});
        assertArrayEquals(plan(new int[]{6, 4}, new int[]{60, 3}, new int[]{5, 3}, new int[]{12, 1}), p);
        assertEquals(15, p[18]);
    }

    @Test
    void noReductionIsACopy() {
        assertNull(BroadcastPlan.sumTo(new int[]{8, 16, 4, 4}, new int[]{8, 16, 4, 4}));
        assertNull(BroadcastPlan.sumTo(new int[]{8, 1, 4}, new int[]{8, 1, 4}));
    }
}
