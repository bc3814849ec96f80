package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.archrepair.engine.io.HostArray;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SENSEI's per-image populations (gaoxiang9430/sensei: augment/ga_selector.py): for every training
 * image a queue of transformations with their last loss, best (highest loss) first. It starts as
 * the identity and 9 grid transformations (each class walking its own shuffled grid), every loss 1.
 * A generation draws mutate (probability 0.6) or crossover once for all images; an image whose best
 * loss is below the robust threshold is left alone (selective augmentation); every other image gets
 * popsize children of its best (mutated, or crossed with the queue member that differs most), the
 * queue and the children are scored by the current model's loss, sorted by descending loss and cut
 * to queue_len. The image is trained on its best, the worst-case variant.
 */
final class SenseiPopulation {
    /** The GA's settings (config.py): queue_len 7, popsize 8, prob_mutate 0.6, robust_threshold 1e-4. */
    record Config(SenseiTransform.Space space, int queueLen, int popsize, double pMutate, double robustThreshold,
                  boolean selective) {
        static Config cifar(boolean filters, boolean selective) {
            return new Config(SenseiTransform.Space.cifar(filters), 7, 8, 0.6, 1e-4, selective);
        }
    }

    /** A queue member. */
    record Item(SenseiTransform transform, double loss) {
    }

    /** Scores variants: loss of each (image index, transformation) pair under the current model. */
    interface Scorer {
        double[] losses(int[] images, List<SenseiTransform> transforms);
    }

    private final Config config;
    private final List<List<Item>> queues = new ArrayList<>();

    /** The first population of images with these labels, the grid shuffled per class with rng. */
    SenseiPopulation(Config config, int[] labels, int classes, Rng rng) {
        this.config = config;
        List<SenseiTransform> grid = config.space().grid();
        int[][] order = new int[classes][];
        int[] next = new int[classes];
        for (int c = 0; c < classes; c++) order[c] = rng.fork("grid/" + c).permutation(grid.size());
        for (int label : labels) {
            List<Item> q = new ArrayList<>();
            q.add(new Item(SenseiTransform.IDENTITY, 1));
            for (int j = 0; j < 9; j++) {
                if (next[label] == grid.size()) next[label] = 0;
                q.add(new Item(grid.get(order[label][next[label]++]), 1));
            }
            queues.add(q);
        }
    }

    List<Item> queue(int image) {
        return List.copyOf(queues.get(image));
    }

    /** The variant image i trains on: the front of its queue. */
    SenseiTransform best(int image) {
        return queues.get(image).getFirst().transform();
    }

    /** Whether selective augmentation leaves image i alone this generation. */
    boolean robust(int image) {
        return config.selective() && queues.get(image).getFirst().loss() < config.robustThreshold();
    }

    /**
     * One generation: mutate or crossover (one draw), children for every image not robust, all
     * members of those images scored, sorted, cut. Returns how many images were left alone.
     */
    int generation(Rng rng, Scorer scorer) {
        boolean mutate = rng.nextInt(100) / 100.0 < config.pMutate();
        List<Integer> active = new ArrayList<>();
        List<List<SenseiTransform>> candidates = new ArrayList<>();
        for (int i = 0; i < queues.size(); i++) {
            if (robust(i)) continue;
            Rng r = rng.fork("image/" + i);
            List<Item> q = queues.get(i);
            Item top = q.getFirst();
            List<SenseiTransform> existing = new ArrayList<>(q.stream().map(Item::transform).toList());
            List<SenseiTransform> children = mutate || q.size() < 2
                    ? top.transform().mutate(config.space(), top.loss(), existing, config.popsize(), r)
                    : top.transform().crossover(mostDifferent(q), config.space(), top.loss(), existing, config.popsize(), r);
            existing.addAll(children);
            active.add(i);
            candidates.add(existing);
        }
        score(active, candidates, scorer);
        return queues.size() - active.size();
    }

    /** Score every candidate of the active images (in rounds of one candidate per image), then sort and cut. */
    private void score(List<Integer> active, List<List<SenseiTransform>> candidates, Scorer scorer) {
        int rounds = candidates.stream().mapToInt(List::size).max().orElse(0);
        List<List<Item>> scored = new ArrayList<>();
        for (int a = 0; a < active.size(); a++) scored.add(new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            List<Integer> who = new ArrayList<>();
            List<SenseiTransform> what = new ArrayList<>();
            for (int a = 0; a < active.size(); a++)
                if (r < candidates.get(a).size()) {
                    who.add(a);
                    what.add(candidates.get(a).get(r));
                }
            double[] losses = scorer.losses(who.stream().mapToInt(active::get).toArray(), what);
            for (int j = 0; j < who.size(); j++) scored.get(who.get(j)).add(new Item(what.get(j), (float) losses[j]));   // float: as checkpointed
        }
        for (int a = 0; a < active.size(); a++) queues.set(active.get(a), cut(scored.get(a), config.queueLen()));
    }

    /** Sorted by descending loss (stable: earlier members first on ties), the first n kept. */
    static List<Item> cut(List<Item> items, int n) {
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble(Item::loss).reversed());
        return new ArrayList<>(sorted.subList(0, Math.min(n, sorted.size())));
    }

    /** select_item: the member after the first that differs from it in the most parameters (the first such on ties). */
    static SenseiTransform mostDifferent(List<Item> queue) {
        SenseiTransform top = queue.getFirst().transform(), best = queue.get(1).transform();
        int max = 0;
        for (Item it : queue.subList(1, queue.size())) {
            int d = top.differences(it.transform());
            if (d > max) {
                max = d;
                best = it.transform();
            }
        }
        return best;
    }

    /** The queues as (images, queue_len, 8) values: the 7 parameters and the loss; NaN pads short queues. */
    HostArray toHost() {
        int w = SenseiTransform.PARAMS + 1, len = config.queueLen() + 3 + config.popsize();
        float[] v = new float[queues.size() * len * w];
        java.util.Arrays.fill(v, Float.NaN);
        for (int i = 0; i < queues.size(); i++) {
            List<Item> q = queues.get(i);
            for (int j = 0; j < q.size(); j++) {
                double[] p = q.get(j).transform().params();
                for (int k = 0; k < SenseiTransform.PARAMS; k++) v[(i * len + j) * w + k] = (float) p[k];
                v[(i * len + j) * w + SenseiTransform.PARAMS] = (float) q.get(j).loss();
            }
        }
        return new HostArray(new int[]{queues.size(), len, w}, v);
    }

    /** Back from {@link #toHost}; parameters are on a float-exact grid, losses are stored as floats. */
    void restore(HostArray a) {
        int w = SenseiTransform.PARAMS + 1, len = a.shape()[1];
        if (a.shape()[0] != queues.size() || a.shape()[2] != w)
            throw new IllegalArgumentException(BaselineCheckpoint.FILE + ": SENSEI populations of shape "
                    + a.shapeString() + " for " + queues.size() + " images");
        for (int i = 0; i < queues.size(); i++) {
            List<Item> q = new ArrayList<>();
            for (int j = 0; j < len; j++) {
                int at = (i * len + j) * w;
                if (Float.isNaN(a.data()[at])) break;
                double[] p = new double[SenseiTransform.PARAMS];
                for (int k = 0; k < p.length; k++) p[k] = exact(a.data()[at + k]);
                q.add(new Item(SenseiTransform.of(p), a.data()[at + SenseiTransform.PARAMS]));
            }
            queues.set(i, q);
        }
    }

    /** The grid value a stored float came from (grid values have at most 3 decimals). */
    private static double exact(float f) {
        return SenseiTransform.canonical(f);
    }
}
