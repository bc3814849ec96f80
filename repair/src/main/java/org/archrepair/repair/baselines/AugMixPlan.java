package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.kernels.Backend;
import org.archrepair.models.data.Augmentation;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.repair.method.RepairContext;

/**
 * The AugMix retraining Few-Shot guided mix and DeepRepair share (DeepRepair's repairing.py, after
 * google-research/augmix cifar.py): every example of D_train^repair is cropped and flipped
 * (RandomCrop(32, padding 4) + RandomHorizontalFlip, the clean copy), then mixed twice by {@link
 * AugMix} with the method's guided op; the batch holds the n clean copies, then the n first and the
 * n second mixtures (one forward of 3n, batch norm over all of them, as the original), and the loss
 * is {@link JsdLoss} with lambda 12. Batch k of epoch e is a pure function of (seed, e, k).
 */
final class AugMixPlan implements Retrain.Plan {
    static final double LAMBDA = 12;

    private final RepairContext ctx;
    private final ImageDataset data;
    private final Pixels px;
    private final AugMix augmix;
    private final AugMix.GuidedOp guided;
    private final String label;

    AugMixPlan(RepairContext ctx, AugMix augmix, AugMix.GuidedOp guided, String label) {
        this.ctx = ctx;
        this.data = ctx.split().train();
        this.px = new Pixels(ctx.normalization(), data);
        this.augmix = augmix;
        this.guided = guided;
        this.label = label;
    }

    @Override
    public int batches(int epoch) {
        return (data.size() + ctx.budget().batch() - 1) / ctx.budget().batch();
    }

    @Override
    public Retrain.TrainBatch batch(int epoch, int k) {
        int[] order = Retrain.order(ctx.seed(), label, epoch, data.size());
        int b = ctx.budget().batch(), from = k * b, n = Math.min(b, data.size() - from), per = px.size();
        Rng rng = new Rng(ctx.seed()).fork(label).fork("augment/" + epoch + "/" + k);
        float[] x = new float[3 * n * per];
        int[] labels = new int[n];
        byte[] raw = new byte[per], crop = new byte[per];
        for (int i = 0; i < n; i++) {
            int image = order[from + i];
            data.copyImage(image, raw, 0);
            Augmentation.CIFAR.apply(raw, 0, crop, 0, px.channels, px.height, px.width, rng);
            labels[i] = data.label(image);
            px.put(crop, x, i * per);
            px.put(augmix.mix(crop, px.channels, px.height, px.width, labels[i], image, guided, rng), x, (n + i) * per);
            px.put(augmix.mix(crop, px.channels, px.height, px.width, labels[i], image, guided, rng), x, (2 * n + i) * per);
        }
        return new Retrain.TrainBatch(x, labels, 3, px.channels, px.height, px.width);
    }

    @Override
    public Tensor loss(Tensor logits, Retrain.TrainBatch b, Backend backend) {
        return JsdLoss.loss(logits, b.labels(), LAMBDA);
    }
}
