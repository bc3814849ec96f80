package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.repair.method.Outcome;
import org.archrepair.repair.method.RepairContext;
import org.archrepair.repair.method.RepairMethod;
import org.archrepair.repair.method.Target;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DeepRepair (Yu, Qi, Guo et al., "DeepRepair: Style-guided repairing for DNNs in the real-world
 * operational environment", TR 2021; SaikaQH/DeepRepair: preprocess_repair_data.py,
 * augmentation_with_WCT2.py, repairing.py): the failures of each class (the D_fail half in
 * D_train^repair) are clustered by k-means (k = 5) on standardized pixels and one reference image is
 * drawn per (class, cluster); the whole network is retrained with AugMix ({@link AugMixPlan}) whose
 * op list gains "style transfer": the training image moved toward the style of a random cluster
 * reference of its class.
 *
 * <p>Deviations: WCT2 (a VGG encoder/decoder with wavelet pooling) becomes the AdaIN-like
 * per-channel mean/std matching of {@link StyleTransfer} (ALGORITHM.md 9's stated simplification),
 * computed on the fly with a cluster drawn per use, where the original stylizes every training
 * image once beforehand; the original's optimizer (SGD 0.1, Nesterov, batch 64, cosine over 100
 * epochs, early stop after 5) gives way to the common budget.
 *
 * <p>Budget: {@code Budget.totalEpochs()} epochs at most over D_train^repair (three images per
 * example each), early stopping on the D_val^repair loss with the budget's patience, SGD with the
 * budget's learning rate. The clustering costs no forward pass.
 */
public final class DeepRepairMethod implements RepairMethod {
    static final int CLUSTERS = 5;

    @Override
    public String name() {
        return "deeprepair";
    }

    @Override
    public Target target(RepairContext ctx) {
        return Target.network();
    }

    @Override
    public Outcome repair(RepairContext ctx) throws IOException {
        BaselineCheckpoint.Saved saved = ctx.resume() ? BaselineCheckpoint.read(ctx.dir(), ctx.fingerprint()) : null;
        long t0 = System.nanoTime();
        List<List<double[]>> styles = styles(ctx.split().train(), ctx.split().trainFailures(), CLUSTERS,
                new Rng(ctx.seed()).fork("deeprepair/kmeans"));
        double prep = (System.nanoTime() - t0) / 1e9;
        AugMixPlan plan = new AugMixPlan(ctx, AugMix.DEFAULT, styleOp(styles, ctx.split().train().channels()), "deeprepair");
        Retrain.Result r = Retrain.run(ctx, plan, ctx.budget().totalEpochs(), saved, Map.of(), Map.of(), List.of());
        return new Outcome(name(), target(ctx).toString(), null, r.history(), List.of(), prep,
                (System.nanoTime() - t0) / 1e9 - prep, r.stoppedEarly());
    }

    /**
     * Per class, the style statistics of one reference per k-means cluster of that class's
     * failures (the first `failures` images of train); empty for a class without failures.
     */
    static List<List<double[]>> styles(ImageDataset train, int failures, int k, Rng rng) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < train.classes().size(); c++) byClass.add(new ArrayList<>());
        for (int i = 0; i < failures; i++) byClass.get(train.label(i)).add(i);
        List<List<double[]>> out = new ArrayList<>();
        for (int c = 0; c < byClass.size(); c++) {
            List<Integer> members = byClass.get(c);
            double[][] rows = new double[members.size()][];
            for (int i = 0; i < rows.length; i++) {
                byte[] img = train.image(members.get(i));
                rows[i] = new double[img.length];
                for (int j = 0; j < img.length; j++) rows[i][j] = img[j] & 0xff;
            }
            Rng r = rng.fork("class/" + c);
            KMeans.Result km = KMeans.fit(KMeans.standardize(rows), k, r.fork("fit"));
            List<double[]> refs = new ArrayList<>();
            Rng draw = r.fork("reference");
            for (int cluster = 0; cluster < km.centers().length; cluster++) {
                List<Integer> in = new ArrayList<>();
                for (int i = 0; i < km.assignment().length; i++) if (km.assignment()[i] == cluster) in.add(members.get(i));
                if (!in.isEmpty())
                    refs.add(StyleTransfer.stats(train.image(in.get(draw.nextInt(in.size()))), train.channels()));
            }
            out.add(refs);
        }
        return out;
    }

    /** The guided op: the image in the style of a random cluster reference of its class. */
    static AugMix.GuidedOp styleOp(List<List<double[]>> styles, int channels) {
        return (image, label, index, rng) -> {
            List<double[]> refs = styles.get(label);
            return refs.isEmpty() ? image : StyleTransfer.transfer(image, channels, refs.get(rng.nextInt(refs.size())));
        };
    }
}
