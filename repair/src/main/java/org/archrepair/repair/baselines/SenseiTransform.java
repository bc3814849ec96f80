package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * One of SENSEI's natural transformations (gaoxiang9430/sensei: deepaugment/transformation.py) and
 * its genetic operators: rotation (degrees), horizontal and vertical translation (pixels), shear,
 * and with the optional filters zoom, brightness and contrast. Values stay on the original's grid
 * (integer degrees and pixels, shear in steps of 0.005) because the steps do.
 *
 * @param rotation    degrees
 * @param translate   horizontal pixels
 * @param translateV  vertical pixels
 * @param shear       horizontal shear factor
 * @param zoom        scale (1: none)
 * @param brightness  added to every pixel
 * @param contrast    pixels multiplied by it (1: none)
 */
record SenseiTransform(double rotation, double translate, double translateV, double shear, double zoom,
                       double brightness, double contrast) {
    static final SenseiTransform IDENTITY = new SenseiTransform(0, 0, 0, 0, 1, 0, 1);
    static final int PARAMS = 7;

    /** Every value canonical (at most 3 decimals, no negative zero), so equal transformations are equal records. */
    SenseiTransform {
        rotation = canonical(rotation);
        translate = canonical(translate);
        translateV = canonical(translateV);
        shear = canonical(shear);
        zoom = canonical(zoom);
        brightness = canonical(brightness);
        contrast = canonical(contrast);
    }

    /**
     * The search space (config.py): ranges, mutation steps, whether the filters (zoom, brightness,
     * contrast) take part. CIFAR: rotation within 15 degrees.
     */
    record Space(double rotation, double translate, double shear, boolean filters, double zoomLo, double zoomHi,
                 double brightness, double contrastLo, double contrastHi) {
        static Space cifar(boolean filters) {
            return new Space(15, 3, 0.1, filters, 0.9, 1.1, 32, 0.8, 1.2);
        }

        /** The grid the first population is drawn from (GridTransformation): 3 values per parameter. */
        List<SenseiTransform> grid() {
            double[] rot = {-Math.round(0.6 * rotation), 0, Math.round(0.6 * rotation)};
            double[] tr = {-Math.round(2 * translate / 3), 0, Math.round(2 * translate / 3)};
            double[] sh = {canonical(-0.6 * shear), 0, canonical(0.6 * shear)};
            List<SenseiTransform> out = new ArrayList<>();
            for (double r : rot)
                for (double t : tr)
                    for (double tv : tr)
                        for (double s : sh)
                            if (!filters) out.add(new SenseiTransform(r, t, tv, s, 1, 0, 1));
                            else for (double z : new double[]{zoomLo, zoomHi})
                                for (double b : new double[]{-brightness / 2, brightness / 2})
                                    for (double c : new double[]{contrastLo, contrastHi})
                                        out.add(new SenseiTransform(r, t, tv, s, canonical(z), b, canonical(c)));
            return out;
        }
    }

    /** Apply to a uint8 image (C, H, W). */
    byte[] apply(byte[] img, int channels, int height, int width) {
        byte[] out = this.equals(IDENTITY) ? img.clone()
                : ImageOps.spatial(img, channels, height, width, rotation, translate, translateV, shear, zoom);
        return brightness != 0 || contrast != 1 ? ImageOps.brightnessContrast(out, brightness, contrast) : out;
    }

    double param(int i) {
        return switch (i) {
            case 0 -> rotation;
            case 1 -> translate;
            case 2 -> translateV;
            case 3 -> shear;
            case 4 -> zoom;
            case 5 -> brightness;
            case 6 -> contrast;
            default -> throw new IndexOutOfBoundsException(i);
        };
    }

    static SenseiTransform of(double[] p) {
        return new SenseiTransform(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    }

    double[] params() {
        double[] p = new double[PARAMS];
        for (int i = 0; i < PARAMS; i++) p[i] = param(i);
        return p;
    }

    /** How many parameters differ (compare_paras). */
    int differences(SenseiTransform o) {
        int d = 0;
        for (int i = 0; i < PARAMS; i++) if (param(i) != o.param(i)) d++;
        return d;
    }

    /**
     * The parameters a mutation or crossover may touch, in the original's order: rotation,
     * translate, translate_v, shear, then brightness, contrast, zoom with the filters.
     */
    static int[] genes(Space s) {
        return s.filters() ? new int[]{0, 1, 2, 3, 5, 6, 4} : new int[]{0, 1, 2, 3};
    }

    /**
     * generate_mutated_node: pick 2 of the 4 genes (4 of 7 with filters); each goes up a step, down
     * a step (both clipped to the range) or is mirrored (negated; 2 - x for zoom and contrast).
     * Steps: rotation 6 (12 when the parent's loss is below 1e-3), translation 1, shear 0.02 (0.04),
     * zoom 0.02, brightness 4, contrast 0.05.
     */
    SenseiTransform mutated(Space s, double parentLoss, Rng rng) {
        int[] genes = genes(s);
        int[] pick = sample(genes.length, s.filters() ? 4 : 2, rng);
        double[] p = params();
        boolean small = parentLoss < 1e-3;
        for (int g : pick) {
            int i = genes[g];
            int dir = rng.nextInt(3);
            p[i] = switch (i) {
                case 0 -> move(p[i], small ? 12 : 6, -s.rotation(), s.rotation(), dir, false);
                case 1, 2 -> move(p[i], 1, -s.translate(), s.translate(), dir, false);
                case 3 -> canonical(move(p[i], small ? 0.04 : 0.02, -s.shear(), s.shear(), dir, false));
                case 4 -> canonical(move(p[i], 0.02, s.zoomLo(), s.zoomHi(), dir, true));
                case 5 -> move(p[i], 4, -s.brightness(), s.brightness(), dir, false);
                default -> canonical(move(p[i], 0.05, s.contrastLo(), s.contrastHi(), dir, true));
            };
        }
        return of(p);
    }

    /** Up, down (clipped) or mirrored; mirrored around 1 for the multiplicative zoom and contrast. */
    static double move(double v, double step, double lo, double hi, int dir, boolean aroundOne) {
        return switch (dir) {
            case 0 -> Math.min(hi, v + step);
            case 1 -> Math.max(lo, v - step);
            default -> aroundOne ? 2 - v : -v;
        };
    }

    /** The canonical double of a value with at most 3 decimals, despite binary fractions; 0 for -0. */
    static double canonical(double v) {
        return Math.round(v * 1000) / 1000.0 + 0.0;
    }

    /** mutate_node: up to 10 tries for a transformation not in existing, else this one. */
    SenseiTransform novelMutation(Space s, double parentLoss, List<SenseiTransform> existing, Rng rng) {
        for (int t = 0; t < 10; t++) {
            SenseiTransform m = mutated(s, parentLoss, rng);
            if (!existing.contains(m)) return m;
        }
        return this;
    }

    /** mutate: popsize children of this (the queue's best), each new to the queue. */
    List<SenseiTransform> mutate(Space s, double loss, List<SenseiTransform> existing, int popsize, Rng rng) {
        List<SenseiTransform> seen = new ArrayList<>(existing), out = new ArrayList<>();
        for (int i = 0; i < popsize; i++) {
            SenseiTransform c = novelMutation(s, loss, seen, rng);
            seen.add(c);
            out.add(c);
        }
        return out;
    }

    /**
     * crossover: popsize distinct gene masks in 1 .. 2^genes - 2 (none all-zero or all-one), the
     * child taking other's value where the mask has a 1 (bit j: the j-th gene); a child already in
     * the queue is mutated instead.
     */
    List<SenseiTransform> crossover(SenseiTransform other, Space s, double loss, List<SenseiTransform> existing,
                                    int popsize, Rng rng) {
        int[] genes = genes(s);
        int masks = (1 << genes.length) - 2;
        int[] chosen = sample(masks, Math.min(popsize, masks), rng);
        List<SenseiTransform> seen = new ArrayList<>(existing), out = new ArrayList<>();
        for (int c : chosen) {
            SenseiTransform child = child(other, genes, c + 1);
            if (seen.contains(child)) child = child.novelMutation(s, loss, seen, rng);
            seen.add(child);
            out.add(child);
        }
        return out;
    }

    /** This with other's values where mask (bit j: gene j) has a 1. */
    SenseiTransform child(SenseiTransform other, int[] genes, int mask) {
        double[] p = params();
        for (int j = 0; j < genes.length; j++) if ((mask >> j & 1) == 1) p[genes[j]] = other.param(genes[j]);
        return of(p);
    }

    /** k distinct values of 0..n-1 in random order (random.sample). */
    static int[] sample(int n, int k, Rng rng) {
        int[] p = rng.permutation(n);
        return java.util.Arrays.copyOf(p, k);
    }
}
