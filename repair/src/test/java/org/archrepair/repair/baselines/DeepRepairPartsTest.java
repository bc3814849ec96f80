package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.archrepair.models.data.ImageDataset;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** DeepRepair's parts by hand: k-means, standardization, the AdaIN-like transfer, one style per cluster. */
class DeepRepairPartsTest {
    @Test
    void kMeansFindsTwoObviousGroups() {
        double[][] rows = {{0}, {10}, {0.1}, {10.1}, {0.2}};
        for (long seed = 0; seed < 10; seed++) {
            KMeans.Result r = KMeans.fit(rows, 2, new Rng(seed));
            int[] a = r.assignment();
            assertEquals(a[0], a[2]);
            assertEquals(a[0], a[4]);
            assertEquals(a[1], a[3]);
            assertNotEquals(a[0], a[1]);
            assertEquals(0.1, r.centers()[a[0]][0], 1e-12);
            assertEquals(10.05, r.centers()[a[1]][0], 1e-12);
        }
        assertEquals(2, KMeans.fit(new double[][]{{1}, {2}}, 5, new Rng(1)).centers().length, "k capped at n");
        assertEquals(0, KMeans.fit(new double[0][], 5, new Rng(1)).assignment().length);
    }

    @Test
    void kMeansPlusPlusNeverSeedsTwoCentersOnOnePoint() {
        double[][] rows = {{0, 0}, {0, 0}, {0, 0}, {5, 5}};
        for (long seed = 0; seed < 20; seed++) {
            double[][] c = KMeans.seed(rows, 2, new Rng(seed));
            assertNotEquals(c[0][0], c[1][0], "the second center has probability 0 on a taken point");
        }
    }

    @Test
    void standardizeScalesEveryColumn() {
        double[][] z = KMeans.standardize(new double[][]{{1, 7}, {3, 7}});
        assertArrayEquals(new double[]{-1, 0}, z[0]);
        assertArrayEquals(new double[]{1, 0}, z[1], "a constant column becomes 0");
    }

    @Test
    void adainMovesEachChannelToTheStylesMeanAndSpread() {
        byte[] content = {0, 2, 4, 6, 9, 9, 9, 9};             // 2 channels of 2x2; the second is flat
        double[] s = StyleTransfer.stats(content, 2);
        assertArrayEquals(new double[]{3, Math.sqrt(5), 9, 0}, s, 1e-12);
        byte[] out = StyleTransfer.transfer(content, 2, new double[]{100, 10, 50, 3});
        double sd = Math.sqrt(5);
        int[] expect = {(int) Math.round(-3 / sd * 10 + 100), (int) Math.round(-1 / sd * 10 + 100),
                (int) Math.round(1 / sd * 10 + 100), (int) Math.round(3 / sd * 10 + 100), 50, 50, 50, 50};
        for (int i = 0; i < 8; i++) assertEquals(expect[i], out[i] & 0xff, "pixel " + i);
        assertEquals(255, StyleTransfer.transfer(new byte[]{0, 10}, 1, new double[]{250, 100})[1] & 0xff, "clipped");
    }

    @Test
    void oneStylePerClusterOfEachClassesFailures() {
        // 4 failures of class 0 in two obvious groups (dark, bright), 1 of class 1; then 2 training images
        byte[] px = new byte[7 * 3];
        int[] shade = {10, 12, 200, 202, 90, 0, 0};
        for (int i = 0; i < 7; i++) java.util.Arrays.fill(px, i * 3, i * 3 + 3, (byte) shade[i]);
        ImageDataset train = new ImageDataset("t", px, new int[]{0, 0, 0, 0, 1, 0, 1}, List.of("a", "b", "c"), 3, 1, 1);
        List<List<double[]>> styles = DeepRepairMethod.styles(train, 5, 2, new Rng(3));
        assertEquals(2, styles.get(0).size(), "class 0: two clusters");
        double[] means = styles.get(0).stream().mapToDouble(st -> st[0]).sorted().toArray();
        assertTrue(means[0] <= 12 && means[1] >= 200, java.util.Arrays.toString(means));
        assertEquals(1, styles.get(1).size(), "class 1: one failure, one cluster");
        assertTrue(styles.get(2).isEmpty(), "class 2 has no failures");
        AugMix.GuidedOp op = DeepRepairMethod.styleOp(styles, 3);
        byte[] img = {1, 2, 3};
        assertSame(img, op.apply(img, 2, 0, new Rng(1)), "no style: the image as it is");
    }
}
