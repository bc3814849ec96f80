package org.archrepair.repair.method;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How much a repair may do, the same for every method of a comparison (ALGORITHM.md 6.4).
 *
 * @param trainImages   images of D_t in D_repair (0: all 50,000)
 * @param searchEpochs  ArchRepair's search epochs E_s (weight-only methods train E_s + fineTuneEpochs at most)
 * @param warmup        search epochs with weight steps only (PC-DARTS: 15 of 50)
 * @param fineTuneEpochs the most epochs of fine-tuning; early stopping ends it sooner
 * @param patience      epochs without a lower validation loss before stopping (the paper: 10)
 * @param batch         batch size of every step
 * @param lr            weight learning rate (SGD, momentum 0.9, cosine to 0 over each phase)
 * @param weightDecay   L2 weight decay of the weights
 * @param clip          gradient norm clip of the weight steps
 * @param archLr        Adam learning rate of the architecture (PC-DARTS 6e-4; betas 0.5, 0.999; decay 1e-3)
 */
public record Budget(int trainImages, int searchEpochs, int warmup, int fineTuneEpochs, int patience, int batch,
                     double lr, double weightDecay, double clip, double archLr) {

    public Budget {
        if (searchEpochs < 1) throw new IllegalArgumentException("--search-epochs must be >= 1, got " + searchEpochs);
        if (warmup < 0 || warmup >= searchEpochs)
            throw new IllegalArgumentException("--warmup must be in [0, search epochs), got " + warmup);
        if (fineTuneEpochs < 1) throw new IllegalArgumentException("--finetune-epochs must be >= 1, got " + fineTuneEpochs);
        if (patience < 1) throw new IllegalArgumentException("--patience must be >= 1, got " + patience);
        if (batch < 2) throw new IllegalArgumentException("--batch must be >= 2 (batch norm), got " + batch);
        if (!(lr > 0) || !(archLr > 0)) throw new IllegalArgumentException("learning rates must be > 0");
        if (weightDecay < 0 || clip < 0) throw new IllegalArgumentException("weight decay and clip must be >= 0");
    }

    /** The weight-only methods' epoch cap: what ArchRepair may spend in all. */
    public int totalEpochs() {
        return searchEpochs + fineTuneEpochs;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train_images", trainImages);
        m.put("search_epochs", searchEpochs);
        m.put("warmup", warmup);
        m.put("finetune_epochs", fineTuneEpochs);
        m.put("patience", patience);
        m.put("batch", batch);
        m.put("lr", lr);
        m.put("weight_decay", weightDecay);
        m.put("clip", clip);
        m.put("arch_lr", archLr);
        return m;
    }
}
