package org.archrepair.repair.train;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
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

    /** One record as toJson wrote it; an IllegalArgumentException names the field at fault. */
    static EpochRecord fromJson(JsonNode m) {
        if (!m.isObject()) throw new IllegalArgumentException("is " + preview(m) + ", not an object");
        JsonNode e = m.get("epoch");
        if (e == null || !e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < 1)
            throw new IllegalArgumentException("'epoch' is " + preview(e) + ", expected a whole number >= 1");
        return new EpochRecord(e.intValue(), number(m, "lr", false), number(m, "train_loss", false),
                number(m, "train_accuracy", true), number(m, "test_accuracy", true), number(m, "seconds", false));
    }

    private static double number(JsonNode m, String key, boolean fraction) {
        JsonNode v = m.get(key);
        if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue()) || fraction && (v.doubleValue() < 0
                || v.doubleValue() > 1))
            throw new IllegalArgumentException("'" + key + "' is " + preview(v) + ", expected a finite number"
                    + (fraction ? " in [0, 1]" : ""));
        return v.doubleValue();
    }

    /** A value for a message: its JSON, cut at 40 characters; "missing" for none. */
    static String preview(JsonNode v) {
        if (v == null) return "missing";
        String s = v.toString();
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** The records of a history list, each checked; an IllegalArgumentException names the entry and field. */
    static List<EpochRecord> listFromJson(JsonNode json) {
        if (!json.isArray()) throw new IllegalArgumentException("history is not a list");
        List<EpochRecord> out = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            try {
                out.add(fromJson(json.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("history entry " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
