package org.archrepair.repair.baselines;

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
 * Few-Shot guided mix (Ren et al., ICSME 2020, "Few-shot guided mix for DNN repairing"). Neither
 * its code nor the details of its text were found (ALGORITHM.md 9), so this is the stated
 * simplification: AugMix retraining of the whole network ({@link AugMixPlan}: 3 chains of depth
 * 1-3, severity 3, Dirichlet(1) chain weights, Beta(1, 1) blend, JSD consistency x 12) where the op
 * list gains one guided op, "mix in a failure": out = (1 - beta) image + beta failure, a failure of
 * the image's class drawn from the D_fail half in D_train^repair, beta = U(0.1, severity) / 10
 * (AugMix's float_parameter of the level with a maximum of 1); a class without failures there
 * leaves the image as it is. Why AugMix: the authors' DeepRepair code grew from their
 * {@code new_Fewshot/augmix} code base (its commented paths), so Few-Shot was AugMix-based.
 *
 * <p>Budget: {@code Budget.totalEpochs()} epochs at most over D_train^repair, early stopping on the
 * D_val^repair loss with the budget's patience, SGD with the budget's learning rate; an epoch runs
 * three images (clean and two mixtures) per example, about three times the compute of a weight-only
 * epoch.
 */
public final class FewShotMethod implements RepairMethod {
    @Override
    public String name() {
        return "fewshot";
    }

    @Override
    public Target target(RepairContext ctx) {
        return Target.network();
    }

    @Override
    public Outcome repair(RepairContext ctx) throws IOException {
        BaselineCheckpoint.Saved saved = ctx.resume() ? BaselineCheckpoint.read(ctx.dir(), ctx.fingerprint()) : null;
        long t0 = System.nanoTime();
        AugMix augmix = AugMix.DEFAULT;
        AugMixPlan plan = new AugMixPlan(ctx, augmix, failureMix(ctx.split().train(), ctx.split().trainFailures(), augmix),
                "fewshot");
        Retrain.Result r = Retrain.run(ctx, plan, ctx.budget().totalEpochs(), saved, Map.of(), Map.of(), List.of());
        return new Outcome(name(), target(ctx).toString(), null, r.history(), List.of(), 0,
                (System.nanoTime() - t0) / 1e9, r.stoppedEarly());
    }

    /** The guided op: blend with a random failure of the same class (the first `failures` images of train). */
    static AugMix.GuidedOp failureMix(ImageDataset train, int failures, AugMix augmix) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < train.classes().size(); c++) byClass.add(new ArrayList<>());
        for (int i = 0; i < failures; i++) byClass.get(train.label(i)).add(i);
        return (image, label, index, rng) -> {
            List<Integer> pool = byClass.get(label);
            if (pool.isEmpty()) return image;
            byte[] failure = train.image(pool.get(rng.nextInt(pool.size())));
            double beta = (0.1 + (augmix.severity() - 0.1) * rng.nextDouble()) / 10;
            return ImageOps.blend(image, failure, beta);
        };
    }
}
