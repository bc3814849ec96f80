package org.archrepair.engine.nn;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.io.HostArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Copy a module's state to and from host arrays keyed by PyTorch names, checking every name and shape. */
public final class StateDicts {
    private StateDicts() {
    }

    /** What a load found: names the model has but the file lacks, names only the file has, shape clashes. */
    public record Report(List<String> missing, List<String> unexpected, List<String> mismatched) {
        public boolean clean() {
            return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) parts.add(missing.size() + " missing: " + String.join(", ", missing));
            if (!unexpected.isEmpty()) parts.add(unexpected.size() + " unexpected: " + String.join(", ", unexpected));
            if (!mismatched.isEmpty()) parts.add(mismatched.size() + " mismatched: " + String.join(", ", mismatched));
            return parts.isEmpty() ? "all names and shapes match" : String.join("; ", parts);
        }
    }

    /** The module's state_dict, downloaded. */
    public static Map<String, HostArray> toHost(Module module) {
        Map<String, HostArray> out = new LinkedHashMap<>();
        module.stateDict().forEach((name, t) -> out.put(name, new HostArray(t.shape(), t.toFloatArray())));
        return out;
    }

    /** What {@link #load} would report for these values, without modifying the module. */
    public static Report check(Module module, Map<String, HostArray> values) {
        return check(module.stateDict(), values);
    }

    /**
     * Load values into the module. With strict, any missing, unexpected or mismatched name is an
     * IllegalArgumentException that lists them all and nothing is modified (callers that want the
     * {@link Report} instead call {@link #check} first); otherwise the names that match are loaded
     * and the report says what was not.
     */
    public static Report load(Module module, Map<String, HostArray> values, boolean strict) {
        Map<String, Tensor> state = module.stateDict();
        Report report = check(state, values);
        if (strict && !report.clean()) throw new IllegalArgumentException("state does not fit the model: " + report);
        state.forEach((name, t) -> {
            HostArray v = values.get(name);
            if (v != null && Arrays.equals(v.shape(), t.shape())) t.copyFrom(v.data());
        });
        return report;
    }

    private static Report check(Map<String, Tensor> state, Map<String, HostArray> values) {
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        state.forEach((name, t) -> {
            HostArray v = values.get(name);
            if (v == null) missing.add(name);
            else if (!Arrays.equals(v.shape(), t.shape()))
                mismatched.add(name + " (model " + Arrays.toString(t.shape()) + ", file " + v.shapeString() + ")");
        });
        values.keySet().forEach(name -> {
            if (!state.containsKey(name)) unexpected.add(name);
        });
        return new Report(missing, unexpected, mismatched);
    }
}
