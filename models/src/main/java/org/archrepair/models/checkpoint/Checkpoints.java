package org.archrepair.models.checkpoint;

import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.io.ReadBudget;
import org.archrepair.engine.io.Safetensors;
import org.archrepair.engine.io.SafetensorsException;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.StateDicts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reading and writing model checkpoints. {@link #read} detects the format by its first bytes
 * (zip {@code PK\3\4}: torch.save 1.6+; {@code \x80\x02\x8a\x0a} + torch's magic: legacy torch.save;
 * an 8-byte header length followed by '{': safetensors), finds the state_dict (the object itself, or
 * its {@code state_dict} / {@code model} / {@code net} entry), strips a leading {@code module.}
 * (DataParallel) and drops {@code *.num_batches_tracked}. {@link #loadInto} then copies it into a
 * model only if every name and shape fits, and warns about NaN or infinite weights (or refuses
 * them, see {@link NonFinite}); {@link #save} writes safetensors atomically.
 *
 * <p>A checkpoint is untrusted input: each read has one {@link ReadBudget} that every storage and
 * tensor is taken from before it is allocated, and every failure is a {@link CheckpointException}
 * (a {@link SafetensorsException} for safetensors) naming the file, the entry or offset and what
 * is wrong.
 *
 * <p>What it is not: no pickling of arbitrary objects, no optimizer state, no writing of torch
 * formats (safetensors is what PyTorch users load with {@code safetensors.torch.load_file}).
 */
public final class Checkpoints {
    public enum Format { TORCH_ZIP, TORCH_LEGACY, SAFETENSORS }

    /**
     * What {@link #loadInto} does with NaN or infinite weights: print a warning (the default) or
     * refuse the file. Set by the system property {@code archrepair.nonFiniteWeights} or the
     * environment variable {@code ARCHREPAIR_NONFINITE_WEIGHTS} ({@code warn} or {@code error}).
     */
    public enum NonFinite {
        WARN, ERROR;

        public static NonFinite fromEnvironment() {
            String p = System.getProperty("archrepair.nonFiniteWeights");
            boolean fromProperty = p != null && !p.isBlank();
            String v = fromProperty ? p : System.getenv("ARCHREPAIR_NONFINITE_WEIGHTS");
            if (v == null || v.isBlank()) return WARN;
            return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "warn" -> WARN;
                case "error" -> ERROR;
                default -> throw new IllegalArgumentException((fromProperty ? "system property archrepair.nonFiniteWeights"
                        : "ARCHREPAIR_NONFINITE_WEIGHTS") + " is '" + v + "', expected warn or error");
            };
        }
    }

    /** Where a state_dict may sit inside a checkpoint dict, in the order they are tried. */
    public static final List<String> STATE_KEYS = List.of("state_dict", "model", "net");

    private Checkpoints() {
    }

    /** The format of a file, from its first bytes; an error says what the bytes look like. */
    public static Format detect(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new CheckpointException(file, "not a regular file");
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return Format.TORCH_ZIP;
        if (head.length >= 14 && (head[0] & 0xff) == 0x80 && (head[2] & 0xff) == 0x8a && head[3] == 10
                && Arrays.equals(Arrays.copyOfRange(head, 4, 14), LEGACY_MAGIC)) return Format.TORCH_LEGACY;
        if (head.length >= 9 && head[8] == '{') {
            long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n > 0 && n <= Files.size(file) - 8) return Format.SAFETENSORS;
        }
        throw new CheckpointException(file, "unknown checkpoint format (first bytes " + hex(head)
                + "); expected a torch.save file (zip or legacy) or safetensors");
    }

    /** 0x1950a86a20f9469cfc6c as pickle LONG1 stores it: 10 little-endian bytes. */
    private static final byte[] LEGACY_MAGIC = {0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a,
            (byte) 0xa8, 0x50, 0x19};

    /** The tensors (normalized names, file order) and extras of a checkpoint in any supported format. */
    public static Checkpoint read(Path file) throws IOException {
        Format f = detect(file);
        ReadBudget budget = ReadBudget.ofHeap();
        if (f == Format.SAFETENSORS) {
            Safetensors.Contents c = Safetensors.read(file);
            Map<String, HostArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, HostArray> e : c.tensors().entrySet()) addNormalized(file, tensors, e.getKey(), e.getValue());
            return new Checkpoint(file, f, tensors, new LinkedHashMap<>(c.metadata()));
        }
        TorchContents contents = f == Format.TORCH_ZIP ? TorchZipReader.read(file, budget)
                : TorchLegacyReader.read(file, budget);
        return fromTorch(file, f, contents, budget);
    }

    /**
     * Read a checkpoint and load it into module, strictly: if any name is missing or extra, or any
     * shape differs, nothing is loaded and a {@link CheckpointMismatchException} lists them all.
     * NaN or infinite weights: as {@link NonFinite#fromEnvironment()} says, warnings on stderr.
     */
    public static Checkpoint loadInto(Module module, Path file) throws IOException {
        return loadInto(module, read(file), NonFinite.fromEnvironment(), System.err::println);
    }

    /** Load a checkpoint already read into module: strict names and shapes, non-finite weights per policy. */
    public static Checkpoint loadInto(Module module, Checkpoint c, NonFinite policy, Consumer<String> warnings)
            throws CheckpointException {
        StateDicts.Report fit = StateDicts.check(module, c.tensors());
        if (!fit.clean()) throw new CheckpointMismatchException(c.file(), fit);
        List<String> bad = nonFinite(c);
        if (!bad.isEmpty()) {
            String what = bad.size() + " tensor" + (bad.size() == 1 ? " holds" : "s hold") + " NaN or infinite values: "
                    + String.join(", ", bad.subList(0, Math.min(bad.size(), 10))) + (bad.size() > 10 ? ", ..." : "");
            if (policy == NonFinite.ERROR)
                throw new CheckpointException(c.file(), what + " (refused: archrepair.nonFiniteWeights=error)");
            warnings.accept("warning: " + c.file() + ": " + what + "; the model will compute NaN "
                    + "(-Darchrepair.nonFiniteWeights=error refuses such files)");
        }
        StateDicts.load(module, c.tensors(), true);
        return c;
    }

    /** "name (k of n)" for each tensor with NaN or infinite values, in file order. */
    public static List<String> nonFinite(Checkpoint c) {
        List<String> out = new ArrayList<>();
        c.tensors().forEach((name, a) -> {
            int k = a.nonFiniteCount();
            if (k > 0) out.add(name + " (" + k + " of " + a.data().length + ")");
        });
        return out;
    }

    /** Write the module's state_dict as safetensors (F32, PyTorch names), atomically, with metadata. */
    public static void save(Module module, Path file, Map<String, String> metadata) throws IOException {
        Safetensors.write(file, StateDicts.toHost(module), metadata);
    }

    // ---------------------------------------------------------------- state_dict extraction

    private static Checkpoint fromTorch(Path file, Format format, TorchContents contents, ReadBudget budget)
            throws IOException {
        if (!(contents.root() instanceof Map<?, ?> root))
            throw new CheckpointException(file, "holds a " + Unpickler.describe(contents.root())
                    + ", expected a state_dict or a dict with one of " + STATE_KEYS);
        Map<?, ?> state = root;
        String stateKey = null;
        for (String k : STATE_KEYS)
            if (root.get(k) instanceof Map<?, ?> m) {
                state = m;
                stateKey = k;
                break;
            }
        Map<String, HostArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : state.entrySet()) {
            if (!(e.getKey() instanceof String name))
                throw new CheckpointException(file, "state_dict key " + Unpickler.preview(e.getKey()) + " is not a string");
            if (!(e.getValue() instanceof TensorRef t))
                throw new CheckpointException(file, "state_dict entry '" + name + "' is a " + Unpickler.describe(e.getValue())
                        + ", not a tensor" + (stateKey == null ? " (and the file has none of " + STATE_KEYS + ")" : ""));
            addNormalized(file, tensors, name, gather(file, contents, name, t, budget));
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        if (stateKey != null)
            for (Map.Entry<?, ?> e : root.entrySet())
                if (!stateKey.equals(e.getKey()) && e.getKey() instanceof String k) {
                    Object v = extra(file, contents, k, e.getValue(), budget);
                    if (v != null) extras.put(k, v);
                }
        return new Checkpoint(file, format, tensors, extras);
    }

    private static HostArray gather(Path file, TorchContents contents, String name, TensorRef t, ReadBudget budget)
            throws CheckpointException {
        StorageData data = contents.storages().get(t.storage().key());
        if (data == null) throw new CheckpointException(file, "tensor '" + name + "' uses storage '" + t.storage().key()
                + "', which has no data");
        return data.gather(t, file, name, budget);
    }

    /** A scalar extra (number, string, bool, one-element tensor) or null for anything else. */
    private static Object extra(Path file, TorchContents contents, String key, Object v, ReadBudget budget)
            throws CheckpointException {
        if (v instanceof Long || v instanceof Double || v instanceof String || v instanceof Boolean) return v;
        if (v instanceof TensorRef t && t.isSingleElement()) return (double) gather(file, contents, key, t, budget).data()[0];
        return null;
    }

    /** Strip one leading "module." and skip num_batches_tracked; a name seen twice is an error. */
    private static void addNormalized(Path file, Map<String, HostArray> out, String name, HostArray value)
            throws IOException {
        String n = name.startsWith("module.") ? name.substring("module.".length()) : name;
        if (n.equals("num_batches_tracked") || n.endsWith(".num_batches_tracked")) return;
        if (out.put(n, value) != null)
            throw new CheckpointException(file, "tensor '" + n + "' appears twice (with and without 'module.'?)");
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 8); i++) s.append(String.format("%02x ", b[i] & 0xff));
        return s.toString().strip();
    }
}
