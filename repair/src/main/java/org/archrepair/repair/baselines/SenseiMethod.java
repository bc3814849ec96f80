package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.archrepair.engine.io.HostArray;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.repair.method.Outcome;
import org.archrepair.repair.method.RepairContext;
import org.archrepair.repair.method.RepairMethod;
import org.archrepair.repair.method.Target;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * SENSEI (Gao et al., ICSE 2020; gaoxiang9430/sensei: augment/ga_selector.py, config.py,
 * deepaugment/transformation.py): retrain the whole network where every training image is replaced
 * each epoch by the worst variant a per-image genetic search has found so far (rotation within 15
 * degrees for CIFAR, translation within 3 pixels, shear within 0.1; zoom, brightness and contrast
 * with {@code filters}), with a random horizontal flip, and selective augmentation: an image whose
 * best loss is below 1e-4 is left alone. See {@link SenseiPopulation} for the generation.
 *
 * <p>Budget: {@code Budget.totalEpochs()} epochs at most (one generation and one training pass over
 * D_train^repair each; a generation scores up to queue_len + popsize = 15 variants per image in
 * inference), early stopping on the D_val^repair loss with the budget's patience, SGD with the
 * budget's learning rate, as the weight-only levels.
 *
 * <p>Deviations: the original trains from scratch for its full schedule with Keras' optimizer; here
 * the model is retrained from its weights with the common budget. Without the filters, the
 * rotation range is 15 degrees as config.py says for CIFAR. The first population's grid has three
 * values per parameter (rotation -9/0/9, translation -2/0/2, shear -0.06/0/0.06), the original's
 * [12::18] slice of a 15-degree range having one. Selective augmentation is on by default, as in
 * the paper's SENSEI (the code's {@code enable_optimize} defaults to off).
 */
public final class SenseiMethod implements RepairMethod {
    private final boolean filters, selective;

    public SenseiMethod(boolean filters, boolean selective) {
        this.filters = filters;
        this.selective = selective;
    }

    @Override
    public String name() {
        return "sensei";
    }

    @Override
    public Target target(RepairContext ctx) {
        return Target.network();
    }

    @Override
    public Outcome repair(RepairContext ctx) throws IOException {
        BaselineCheckpoint.Saved saved = ctx.resume() ? BaselineCheckpoint.read(ctx.dir(), ctx.fingerprint()) : null;
        long t0 = System.nanoTime();
        Plan plan = new Plan(ctx, SenseiPopulation.Config.cifar(filters, selective));
        Retrain.Result r = Retrain.run(ctx, plan, ctx.budget().totalEpochs(), saved, Map.of(), Map.of(), List.of());
        return new Outcome(name(), target(ctx).toString(), null, r.history(), List.of(), 0,
                (System.nanoTime() - t0) / 1e9, r.stoppedEarly());
    }

    /** Each epoch: a generation, then batches of every image's worst variant. */
    static final class Plan implements Retrain.Plan {
        private final RepairContext ctx;
        private final ImageDataset data;
        private final Pixels px;
        private final SenseiPopulation population;
        private final Rng rng;
        private boolean[] flips;
        int leftAlone;

        Plan(RepairContext ctx, SenseiPopulation.Config config) {
            this.ctx = ctx;
            this.data = ctx.split().train();
            this.px = new Pixels(ctx.normalization(), data);
            this.rng = new Rng(ctx.seed()).fork("sensei");
            this.population = new SenseiPopulation(config, data.labels(), data.classes().size(), rng.fork("population"));
        }

        @Override
        public void beforeEpoch(int epoch) {
            Rng flip = rng.fork("flip/" + epoch);
            flips = new boolean[data.size()];
            for (int i = 0; i < flips.length; i++) flips[i] = flip.nextBoolean();
            leftAlone = population.generation(rng.fork("generation/" + epoch), this::score);
        }

        /** Loss of each image under its transformation, with this epoch's flip. */
        private double[] score(int[] images, List<SenseiTransform> transforms) {
            float[] x = new float[images.length * px.size()];
            int[] labels = new int[images.length];
            for (int i = 0; i < images.length; i++) {
                px.put(variant(images[i], transforms.get(i)), x, i * px.size());
                labels[i] = data.label(images[i]);
            }
            float[] logits = Forward.logits(ctx.net(), ctx.backend(), x, images.length,
                    new int[]{px.channels, px.height, px.width});
            return Forward.losses(logits, labels);
        }

        private byte[] variant(int image, SenseiTransform t) {
            byte[] img = data.image(image);
            if (flips[image]) img = ImageOps.flip(img, px.channels, px.height, px.width);
            return t.apply(img, px.channels, px.height, px.width);
        }

        @Override
        public int batches(int epoch) {
            return (data.size() + ctx.budget().batch() - 1) / ctx.budget().batch();
        }

        @Override
        public Retrain.TrainBatch batch(int epoch, int k) {
            int[] order = Retrain.order(ctx.seed(), "sensei", epoch, data.size());
            int b = ctx.budget().batch(), from = k * b, n = Math.min(b, data.size() - from);
            float[] x = new float[n * px.size()];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                int image = order[from + i];
                px.put(variant(image, population.best(image)), x, i * px.size());
                labels[i] = data.label(image);
            }
            return new Retrain.TrainBatch(x, labels, 1, px.channels, px.height, px.width);
        }

        @Override
        public Map<String, HostArray> state() {
            return Map.of("sensei/population", population.toHost());
        }

        @Override
        public Map<String, String> meta() {
            return Map.of("sensei_left_alone", Integer.toString(leftAlone));
        }

        @Override
        public void restore(BaselineCheckpoint.Saved saved) {
            population.restore(saved.tensor("sensei/population"));
        }
    }
}
