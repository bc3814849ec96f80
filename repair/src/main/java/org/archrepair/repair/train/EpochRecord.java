package org.archrepair.repair.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one training epoch did: the learning-curve point. Accuracies are fractions in [0, 1]. */
public record EpochRecord(int epoch, double lr, double trainLoss, double trainAccuracy, double testAccuracy,
                          double seconds) {

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("lr", lr);
        m.put("train_loss", trainLoss);
        m.put("train_accuracy", trainAccuracy);
        m.put("test_accuracy", testAccuracy);
        m.put("seconds", seconds);
        return m;
    }

    static EpochRecord fromJson(Map<?, ?> m) {
        return new EpochRecord(((Number) m.get("epoch")).intValue(), num(m, "lr"), num(m, "train_loss"),
                num(m, "train_accuracy"), num(m, "test_accuracy"), num(m, "seconds"));
    }

    private static double num(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("history entry lacks '" + key + "'");
        return n.doubleValue();
    }

    static List<EpochRecord> listFromJson(Object json) {
        if (!(json instanceof List<?> l)) throw new IllegalArgumentException("history is not a list");
        return l.stream().map(e -> fromJson((Map<?, ?>) e)).toList();
    }
}
