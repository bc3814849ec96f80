package org.archrepair.repair.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of training from scratch. The defaults are the paper's and kuangliu's: SGD with
 * momentum 0.9, weight decay 5e-4, batch 128, lr 0.1, cosine annealing over the run.
 */
public record TrainConfig(String model, int epochs, int batchSize, double lr, double momentum, double weightDecay,
                          boolean nesterov, double clipNorm, long seed) {

    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batchSize < 2) throw new IllegalArgumentException("--batch must be >= 2 (batch norm), got " + batchSize);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        if (weightDecay < 0) throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        if (clipNorm < 0) throw new IllegalArgumentException("--clip must be >= 0 (0 = off), got " + clipNorm);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("epochs", epochs);
        m.put("batch", batchSize);
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("weight_decay", weightDecay);
        m.put("nesterov", nesterov);
        m.put("clip", clipNorm);
        m.put("seed", seed);
        return m;
    }
}
