package org.archrepair.repair.method;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.io.Safetensors;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.engine.optim.Adam;
import org.archrepair.engine.optim.Sgd;
import org.archrepair.models.Network;
import org.archrepair.repair.report.Reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A repair's state after a completed epoch, in one safetensors file written atomically
 * ({@code state.safetensors} in the method's folder): the network's state dict ("net/"), the
 * architecture parameters ("arch/"), the SGD momentum ("sgd/") and Adam moments ("adam/m/",
 * "adam/v/") by name, the best state so far ("best/"), and in the metadata the phase, epochs done,
 * history, genotype, early-stopping counters and the run's fingerprint (a resume with other
 * settings is refused). Data order and augmentation are pure functions of (seed, epoch, batch), so
 * this is all a resumed run needs to continue bit for bit.
 */
public final class RunCheckpoint {
    static final String FILE = "state.safetensors";
    private static final String FORMAT = "archrepair-repair-state/1";

    /** What a checkpoint holds, read back. */
    record Saved(Map<String, HostArray> tensors, Map<String, String> meta) {
        String phase() {
            return meta.get("phase");
        }

        int epochsDone() {
            return intMeta("epochs_done");
        }

        int intMeta(String key) {
            try {
                int v = Integer.parseInt(meta.getOrDefault(key, ""));
                if (v < 0) throw new NumberFormatException();
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(FILE + ": '" + key + "' is not a count: " + meta.get(key));
            }
        }

        double bestLoss() {
            return Double.parseDouble(meta.getOrDefault("best_loss", "Infinity"));
        }

        List<EpochLog> history() {
            List<EpochLog> out = new ArrayList<>();
            try {
                for (Object o : Reports.readList(meta.getOrDefault("history", "[]"), FILE + " history"))
                    out.add(EpochLog.fromJson((Map<?, ?>) o));
            } catch (ClassCastException e) {
                throw new IllegalArgumentException(FILE + ": unreadable history: " + e.getMessage());
            }
            return out;
        }

        Map<String, HostArray> prefixed(String prefix) {
            Map<String, HostArray> out = new LinkedHashMap<>();
            tensors.forEach((k, v) -> {
                if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
            });
            return out;
        }
    }

    private RunCheckpoint() {
    }

    /** Everything to save; sgd/adam/arch/best may be null. */
    record Contents(Network net, Map<String, Tensor> arch, Sgd sgd, Adam adam, Map<String, HostArray> best,
                    Map<String, String> meta) {
    }

    static void save(Path dir, String fingerprint, Contents c) throws IOException {
        Map<String, HostArray> t = new LinkedHashMap<>();
        StateDicts.toHost(c.net()).forEach((k, v) -> t.put("net/" + k, v));
        Map<String, String> meta = new LinkedHashMap<>(c.meta());
        meta.put("format", FORMAT);
        meta.put("fingerprint", fingerprint);
        if (c.arch() != null) c.arch().forEach((k, v) -> t.put("arch/" + k, new HostArray(v.shape(), v.toFloatArray())));
        if (c.sgd() != null)
            c.net().namedParameters().forEach((k, p) -> {
                float[] m = c.sgd().momentum(p);
                if (m != null) t.put("sgd/" + k, new HostArray(p.shape(), m));
            });
        if (c.adam() != null && c.arch() != null)
            c.arch().forEach((k, p) -> {
                Adam.Moments m = c.adam().moments(p);
                if (m == null) return;
                t.put("adam/m/" + k, new HostArray(p.shape(), m.m()));
                t.put("adam/v/" + k, new HostArray(p.shape(), m.v()));
                meta.put("adam_step/" + k, Integer.toString(m.step()));
            });
        if (c.best() != null) c.best().forEach((k, v) -> t.put("best/" + k, v));
        Safetensors.write(dir.resolve(FILE), t, meta);
    }

    /** The checkpoint file in dir if one was written, else null (for a non-finite loss's message). */
    static Path lastGood(Path dir) {
        Path file = dir.resolve(FILE);
        return Files.exists(file) ? file : null;
    }

    /** The checkpoint in dir, checked against this run's fingerprint; null when there is none. */
    static Saved read(Path dir, String fingerprint) throws IOException {
        Safetensors.Contents c = readChecked(dir.resolve(FILE), FORMAT, "a repair state", fingerprint);
        return c == null ? null : new Saved(c.tensors(), c.metadata());
    }

    /**
     * A checkpoint file (null when there is none), checked to be of format (what names it in the
     * error) and made by the run with this fingerprint: the one check every resumable loop shares.
     */
    public static Safetensors.Contents readChecked(Path file, String format, String what, String fingerprint)
            throws IOException {
        if (!Files.exists(file)) return null;
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!format.equals(meta.get("format")))
            throw new IllegalArgumentException(file + " is not " + what + " (format " + meta.get("format") + ")");
        if (!fingerprint.equals(meta.get("fingerprint")))
            throw new IllegalArgumentException("--resume: " + file + " was made by another run:\n  saved: "
                    + meta.get("fingerprint") + "\n  now:   " + fingerprint);
        return c;
    }

    /** Put a saved state back: network, architecture, optimizer states. */
    static void restore(Saved s, Network net, Map<String, Tensor> arch, Sgd sgd, Adam adam) {
        StateDicts.load(net, s.prefixed("net/"), true);
        if (arch != null) {
            Map<String, HostArray> a = s.prefixed("arch/");
            arch.forEach((k, p) -> p.copyFrom(require(a, k, "arch/").data()));
        }
        if (sgd != null) {
            Map<String, Tensor> params = net.namedParameters();
            s.prefixed("sgd/").forEach((k, m) -> {
                Tensor p = params.get(k);
                if (p == null) throw new IllegalArgumentException(FILE + ": momentum of unknown parameter " + k);
                sgd.setMomentum(p, m.data());
            });
        }
        if (adam != null && arch != null) {
            Map<String, HostArray> m = s.prefixed("adam/m/"), v = s.prefixed("adam/v/");
            arch.forEach((k, p) -> {
                if (!m.containsKey(k)) return;
                adam.setMoments(p, new Adam.Moments(m.get(k).data(), require(v, k, "adam/v/").data(),
                        s.intMeta("adam_step/" + k)));
            });
        }
    }

    private static HostArray require(Map<String, HostArray> m, String k, String prefix) {
        HostArray a = m.get(k);
        if (a == null) throw new IllegalArgumentException(FILE + ": missing " + prefix + k);
        return a;
    }
}
