package org.archrepair.repair.data;

import org.archrepair.engine.Rng;
import org.archrepair.models.data.ImageDataset;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Failure sampling per class, the held-out set, D_repair and its stratified split. */
class RepairDataTest {
    /** n 1x2x2 images; image i has label labels[i] and pixel value i % 256 (to recognize it). */
    static ImageDataset set(String name, int[] labels) {
        byte[] px = new byte[labels.length * 4];
        for (int i = 0; i < labels.length; i++) Arrays.fill(px, i * 4, i * 4 + 4, (byte) i);
        return new ImageDataset(name, px, labels, List.of("a", "b", "c"), 1, 2, 2);
    }

    @Test
    void failuresArePerClassWithShortfallsAndReproducible() {
        int[] labels = new int[60], predictions = new int[60];
        for (int i = 0; i < 60; i++) {
            labels[i] = i % 3;
            // class 0: all 20 wrong; class 1: 3 wrong (i = 1, 4, 7); class 2: none wrong
            predictions[i] = labels[i] == 0 || (labels[i] == 1 && i < 10) ? (labels[i] + 1) % 3 : labels[i];
        }
        ImageDataset source = set("src", labels);
        FailureSet f = FailureSet.sample(source, predictions, 5, new Rng(7));
        assertEquals(8, f.size());
        assertArrayEquals(new int[]{20, 3, 0}, f.available());
        assertArrayEquals(new int[]{5, 3, 0}, f.taken());
        for (int i : f.indices()) assertNotEquals(labels[i], predictions[i]);
        assertTrue(Arrays.stream(f.indices()).filter(i -> labels[i] == 1).boxed().toList().equals(List.of(1, 4, 7)));
        assertEquals(List.of("b: 3 failures, fewer than 5, all taken", "c: 0 failures, fewer than 5, all taken"),
                f.shortfalls(source.classes()));
        assertEquals(f, FailureSet.sample(source, predictions, 5, new Rng(7)));
        assertNotEquals(f, FailureSet.sample(source, predictions, 5, new Rng(8)));
        int[] sorted = f.indices().clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, f.indices());
    }

    @Test
    void heldOutRepairSetAndSplit() {
        int[] srcLabels = new int[30], trainLabels = new int[40], predictions = new int[30];
        for (int i = 0; i < 30; i++) {
            srcLabels[i] = i % 3;
            predictions[i] = (i % 3 + 1) % 3;               // everything wrong
        }
        for (int i = 0; i < 40; i++) trainLabels[i] = i % 3;
        ImageDataset source = set("src", srcLabels), train = set("train", trainLabels);
        FailureSet f = FailureSet.sample(source, predictions, 4, new Rng(1));
        RepairData d = RepairData.of(train, source, f, 20, new Rng(2));
        assertEquals(12, d.failures().size());
        int[] held = d.heldOutIndices();
        assertEquals(18, held.length);
        Set<Integer> all = new HashSet<>();
        for (int i : held) all.add(i);
        for (int i : f.indices()) assertTrue(all.add(i), "held-out and failures overlap at " + i);
        assertEquals(30, all.size());
        assertEquals(32, d.repairSet().size());
        assertEquals(20, d.trainSample().length);
        RepairData.Split s = d.split();
        assertEquals(32, s.train().size() + s.val().size());
        // stratified: each half has half of the failures of each class (2 of 4)
        int[] failuresPerClassInTrainHalf = new int[3];
        for (int i = 0; i < s.train().size(); i++)
            if (s.train().name().equals("repair-train") && i < 6) failuresPerClassInTrainHalf[s.train().label(i)]++;
        assertArrayEquals(new int[]{2, 2, 2}, failuresPerClassInTrainHalf);
        // the halves are disjoint: no image (recognized by its pixel value and origin) in both
        Set<String> seen = new HashSet<>();
        for (ImageDataset half : List.of(s.train(), s.val()))
            for (int i = 0; i < half.size(); i++)
                assertTrue(seen.add((i < 6 ? "f" : "t") + half.pixel(i, 0, 0, 0) + "/" + half.label(i)));
        assertEquals(d.split().train().sha256(), s.train().sha256(), "same seed, same split");
        assertEquals(train.size(), RepairData.of(train, source, f, 0, new Rng(2)).trainSample().length);
    }

    @Test
    void contentHashIgnoresNamesButNotPixels() {
        ImageDataset a = set("a", new int[]{0, 1, 2});
        assertEquals(a.sha256(), a.subset("other name", new int[]{0, 1, 2}).sha256());
        assertNotEquals(a.sha256(), a.subset("x", new int[]{0, 2, 1}).sha256());
    }
}
