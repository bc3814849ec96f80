package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** SENSEI's genetic operators and generation on hand-made queues, with a scorer standing in for the model. */
class SenseiTest {
    private static final SenseiTransform.Space SPACE = SenseiTransform.Space.cifar(false);

    @Test
    void aGeneGoesUpDownOrIsMirrored() {
        assertEquals(9, SenseiTransform.move(3, 6, -15, 15, 0, false));
        assertEquals(-3, SenseiTransform.move(3, 6, -15, 15, 1, false));
        assertEquals(-3, SenseiTransform.move(3, 6, -15, 15, 2, false));
        assertEquals(15, SenseiTransform.move(12, 6, -15, 15, 0, false), "clipped");
        assertEquals(-15, SenseiTransform.move(-12, 6, -15, 15, 1, false), "clipped");
        assertEquals(0.9, SenseiTransform.move(1.1, 0.05, 0.8, 1.2, 2, true), 1e-12, "contrast mirrored around 1");
    }

    @Test
    void gridOfTheFirstPopulation() {
        List<SenseiTransform> g = SPACE.grid();
        assertEquals(81, g.size());
        assertEquals(81, new HashSet<>(g).size());
        assertTrue(g.contains(new SenseiTransform(-9, 2, -2, 0.06, 1, 0, 1)));
        assertEquals(81 * 8, SenseiTransform.Space.cifar(true).grid().size());
        SenseiPopulation p = new SenseiPopulation(new SenseiPopulation.Config(SPACE, 7, 8, 0.6, 1e-4, true),
                new int[]{0, 1, 0}, 2, new Rng(1));
        List<SenseiPopulation.Item> q = p.queue(0);
        assertEquals(10, q.size());
        assertEquals(SenseiTransform.IDENTITY, q.getFirst().transform());
        assertTrue(q.stream().allMatch(it -> it.loss() == 1));
        assertNotEquals(p.queue(0).subList(1, 10), p.queue(2).subList(1, 10), "a class walks its grid");
    }

    @Test
    void crossoverChildTakesTheOtherParentsGenesWhereTheMaskSays() {
        SenseiTransform a = new SenseiTransform(6, 1, 2, 0.02, 1, 0, 1), b = new SenseiTransform(-6, -3, 3, -0.1, 1, 0, 1);
        int[] genes = SenseiTransform.genes(SPACE);
        assertEquals(new SenseiTransform(-6, 1, 3, 0.02, 1, 0, 1), a.child(b, genes, 0b0101));
        assertEquals(new SenseiTransform(6, -3, 2, -0.1, 1, 0, 1), a.child(b, genes, 0b1010));
        List<SenseiTransform> kids = a.crossover(b, SPACE, 1, new ArrayList<>(List.of(a, b)), 8, new Rng(2));
        assertEquals(8, kids.size());
        assertEquals(8, new HashSet<>(kids).size(), "8 distinct masks of 14");
        for (SenseiTransform k : kids) {
            assertNotEquals(a, k);
            assertNotEquals(b, k);
        }
    }

    @Test
    void mutationTouchesTwoGenesByOneStepWithinTheRange() {
        SenseiTransform top = new SenseiTransform(0, 0, 0, 0, 1, 0, 1);
        List<SenseiTransform> kids = top.mutate(SPACE, 1, new ArrayList<>(List.of(top)), 8, new Rng(3));
        assertEquals(8, kids.size());
        assertEquals(8, new HashSet<>(kids).size(), "each new to the queue");
        for (SenseiTransform k : kids) {
            assertTrue(top.differences(k) >= 1 && top.differences(k) <= 2, k.toString());
            assertTrue(Math.abs(k.rotation()) <= 6 && Math.abs(k.translate()) <= 1 && Math.abs(k.translateV()) <= 1
                    && Math.abs(k.shear()) <= 0.02 + 1e-12, k.toString());
            assertEquals(1, k.zoom());
            assertEquals(0, k.brightness());
            assertEquals(1, k.contrast());
        }
        SenseiTransform easy = top.mutated(SPACE, 1e-4, new Rng(4));
        assertTrue(Math.abs(easy.rotation()) == 12 || easy.rotation() == 0, "rotation steps 12 when the loss < 1e-3");
    }

    @Test
    void crossoverPartnerIsTheMostDifferentMember() {
        var top = new SenseiPopulation.Item(new SenseiTransform(0, 0, 0, 0, 1, 0, 1), 3);
        var one = new SenseiPopulation.Item(new SenseiTransform(6, 0, 0, 0, 1, 0, 1), 2);
        var three = new SenseiPopulation.Item(new SenseiTransform(6, 1, 1, 0, 1, 0, 1), 1);
        var threeToo = new SenseiPopulation.Item(new SenseiTransform(-6, 1, -1, 0, 1, 0, 1), 0.5);
        assertEquals(three.transform(), SenseiPopulation.mostDifferent(List.of(top, one, three, threeToo)));
    }

    @Test
    void queueIsSortedByDescendingLossAndCut() {
        var a = new SenseiPopulation.Item(SenseiTransform.IDENTITY, 0.2);
        var b = new SenseiPopulation.Item(new SenseiTransform(6, 0, 0, 0, 1, 0, 1), 0.9);
        var c = new SenseiPopulation.Item(new SenseiTransform(12, 0, 0, 0, 1, 0, 1), 0.5);
        var d = new SenseiPopulation.Item(new SenseiTransform(-6, 0, 0, 0, 1, 0, 1), 0.5);
        assertEquals(List.of(b, c, d), SenseiPopulation.cut(List.of(a, b, c, d), 3), "stable on ties");
    }

    @Test
    void generationScoresQueueAndChildrenAndKeepsTheWorstCases() {
        SenseiPopulation p = new SenseiPopulation(new SenseiPopulation.Config(SPACE, 7, 8, 0.6, 1e-4, true),
                new int[]{0, 1}, 2, new Rng(1));
        List<int[]> asked = new ArrayList<>();
        // loss = |rotation| + |translate| + 1: the worst case has the largest spatial change
        SenseiPopulation.Scorer scorer = (images, ts) -> {
            asked.add(images);
            double[] out = new double[images.length];
            for (int i = 0; i < out.length; i++) out[i] = Math.abs(ts.get(i).rotation()) + Math.abs(ts.get(i).translate()) + 1;
            return out;
        };
        assertEquals(0, p.generation(new Rng(5), scorer));
        for (int img = 0; img < 2; img++) {
            List<SenseiPopulation.Item> q = p.queue(img);
            assertEquals(7, q.size());
            for (int j = 1; j < q.size(); j++) assertTrue(q.get(j - 1).loss() >= q.get(j).loss());
            SenseiTransform best = p.best(img);
            assertEquals(q.getFirst().loss(), Math.abs(best.rotation()) + Math.abs(best.translate()) + 1, 1e-6);
        }
        assertEquals(18, asked.size(), "10 members and 8 children scored, one of each image per call");
    }

    @Test
    void selectiveAugmentationLeavesRobustImagesAlone() {
        for (boolean selective : new boolean[]{true, false}) {
            SenseiPopulation p = new SenseiPopulation(new SenseiPopulation.Config(SPACE, 7, 8, 0.6, 1e-4, selective),
                    new int[]{0, 1}, 2, new Rng(1));
            // image 0 is classified with no loss at all, image 1 is not
            SenseiPopulation.Scorer scorer = (images, ts) -> {
                double[] out = new double[images.length];
                for (int i = 0; i < out.length; i++) out[i] = images[i] == 0 ? 0 : 1 + Math.abs(ts.get(i).rotation());
                return out;
            };
            p.generation(new Rng(5), scorer);
            List<SenseiPopulation.Item> before = p.queue(0);
            List<Integer> seen = new ArrayList<>();
            int alone = p.generation(new Rng(6), (images, ts) -> {
                for (int i : images) seen.add(i);
                return scorer.losses(images, ts);
            });
            assertEquals(selective, p.robust(0));
            assertEquals(selective ? 1 : 0, alone);
            assertEquals(!selective, seen.contains(0), "a robust image is not scored");
            if (selective) assertEquals(before, p.queue(0), "nor changed");
            assertTrue(seen.contains(1));
        }
    }

    @Test
    void populationsSurviveACheckpoint() {
        SenseiPopulation p = new SenseiPopulation(SenseiPopulation.Config.cifar(true, true), new int[]{0, 1, 1}, 2, new Rng(1));
        p.generation(new Rng(2), (images, ts) -> {
            double[] out = new double[images.length];
            for (int i = 0; i < out.length; i++) out[i] = (float) (0.5 + ts.get(i).shear() + ts.get(i).contrast());
            return out;
        });
        SenseiPopulation q = new SenseiPopulation(SenseiPopulation.Config.cifar(true, true), new int[]{0, 1, 1}, 2, new Rng(9));
        q.restore(p.toHost());
        for (int i = 0; i < 3; i++) assertEquals(p.queue(i), q.queue(i));
    }
}
