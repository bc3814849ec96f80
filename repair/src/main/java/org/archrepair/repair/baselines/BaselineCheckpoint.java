package org.archrepair.repair.baselines;

import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.io.Safetensors;
import org.archrepair.repair.method.EpochLog;
import org.archrepair.repair.method.RunCheckpoint;
import org.archrepair.repair.report.Reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A baseline's state after a completed epoch (or generation, or reduced model), one safetensors
 * file written atomically ({@code state.safetensors} in the method's folder): tensors by prefix
 * (the caller's: "net/", "sgd/", "best/", method state) and string metadata (phase, counts, the
 * history, the method's own values) with the run's fingerprint, so a resume with other settings is
 * refused. Everything random is a pure function of (seed, epoch, batch), so this is all a resumed
 * run needs to continue bit for bit.
 */
final class BaselineCheckpoint {
    static final String FILE = "state.safetensors";
    private static final String FORMAT = "archrepair-baseline-state/1";

    /** A checkpoint read back. */
    record Saved(Map<String, HostArray> tensors, Map<String, String> meta) {
        String phase() {
            return meta.getOrDefault("phase", "");
        }

        int count(String key) {
            try {
                int v = Integer.parseInt(meta.getOrDefault(key, ""));
                if (v < 0) throw new NumberFormatException();
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(FILE + ": '" + key + "' is not a count: " + meta.get(key));
            }
        }

        double number(String key) {
            try {
                return Double.parseDouble(meta.getOrDefault(key, ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(FILE + ": '" + key + "' is not a number: " + meta.get(key));
            }
        }

        /** The tensors under prefix, the prefix removed. */
        Map<String, HostArray> prefixed(String prefix) {
            Map<String, HostArray> out = new LinkedHashMap<>();
            tensors.forEach((k, v) -> {
                if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
            });
            return out;
        }

        HostArray tensor(String name) {
            HostArray a = tensors.get(name);
            if (a == null) throw new IllegalArgumentException(FILE + ": missing tensor " + name);
            return a;
        }

        List<EpochLog> history() {
            return readHistory(meta.getOrDefault("history", "[]"));
        }
    }

    private BaselineCheckpoint() {
    }

    static void save(Path dir, String fingerprint, Map<String, HostArray> tensors, Map<String, String> meta)
            throws IOException {
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.put("format", FORMAT);
        m.put("fingerprint", fingerprint);
        Files.createDirectories(dir);
        Safetensors.write(dir.resolve(FILE), tensors, m);
    }

    /** The checkpoint in dir, checked against the fingerprint; null when there is none. */
    static Saved read(Path dir, String fingerprint) throws IOException {
        Safetensors.Contents c = RunCheckpoint.readChecked(dir.resolve(FILE), FORMAT, "a baseline's state", fingerprint);
        return c == null ? null : new Saved(c.tensors(), c.metadata());
    }

    static String writeHistory(List<EpochLog> history) {
        return Reports.json(history.stream().map(EpochLog::toJson).toList());
    }

    static List<EpochLog> readHistory(String json) {
        List<EpochLog> out = new ArrayList<>();
        try {
            for (Object o : Reports.readList(json, FILE + " history")) out.add(EpochLog.fromJson((Map<?, ?>) o));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(FILE + ": unreadable history: " + e.getMessage());
        }
        return out;
    }

    /** Ints stored as a float tensor (exact below 2^24: indices, labels, counts). */
    static HostArray ints(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i]) >= 1 << 24) throw new IllegalArgumentException("int " + v[i] + " is not exact as a float");
            f[i] = v[i];
        }
        return new HostArray(new int[]{v.length}, f);
    }

    static int[] ints(HostArray a) {
        int[] v = new int[a.data().length];
        for (int i = 0; i < v.length; i++) v[i] = Math.round(a.data()[i]);
        return v;
    }
}
