package org.archrepair.repair.method;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch of a repair: its phase ("search" or "finetune"), losses and accuracies on the train
 * half (with augmentation, as trained) and the validation half of D_repair, the mean entropy of the
 * edges' op distributions (search only; NaN otherwise), and where the time went.
 */
public record EpochLog(String phase, int epoch, double lr, double trainLoss, double trainAccuracy, double valLoss,
                       double valAccuracy, double entropy, double weightSeconds, double archSeconds, double valSeconds) {

    public double seconds() {
        return weightSeconds + archSeconds + valSeconds;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase);
        m.put("epoch", epoch);
        m.put("lr", lr);
        m.put("train_loss", trainLoss);
        m.put("train_accuracy", trainAccuracy);
        m.put("val_loss", valLoss);
        m.put("val_accuracy", valAccuracy);
        if (!Double.isNaN(entropy)) m.put("alpha_entropy", entropy);
        m.put("weight_seconds", weightSeconds);
        m.put("arch_seconds", archSeconds);
        m.put("val_seconds", valSeconds);
        return m;
    }

    /** The record {@link #toJson} wrote (checkpoints keep the history this way). */
    public static EpochLog fromJson(Map<?, ?> m) {
        return new EpochLog((String) m.get("phase"), num(m, "epoch").intValue(), num(m, "lr").doubleValue(),
                num(m, "train_loss").doubleValue(), num(m, "train_accuracy").doubleValue(), num(m, "val_loss").doubleValue(),
                num(m, "val_accuracy").doubleValue(), m.containsKey("alpha_entropy") ? num(m, "alpha_entropy").doubleValue()
                : Double.NaN, num(m, "weight_seconds").doubleValue(), num(m, "arch_seconds").doubleValue(),
                num(m, "val_seconds").doubleValue());
    }

    private static Number num(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n)) throw new IllegalArgumentException("epoch record: '" + key + "' is not a number");
        return n;
    }
}
