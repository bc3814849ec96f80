package org.archrepair.models.checkpoint;

import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.io.Safetensors;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.StateDicts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading and writing model checkpoints. {@link #read} detects the format by its first bytes
 * (zip {@code PK\3\4}: torch.save 1.6+; {@code \x80\x02\x8a\x0a} + torch's magic: legacy torch.save;
 * an 8-byte header length followed by '{': safetensors), finds the state_dict (the object itself, or
 * its {@code state_dict} / {@code model} / {@code net} entry), strips a leading {@code module.}
 * (DataParallel) and drops {@code *.num_batches_tracked}. {@link #loadInto} then copies it into a
 * model only if every name and shape fits; {@link #save} writes safetensors atomically.
 *
 * <p>What it is not: no pickling of arbitrary objects, no optimizer state, no writing of torch
 * formats (safetensors is what PyTorch users load with {@code safetensors.torch.load_file}).
 */
public final class Checkpoints {
    public enum Format { TORCH_ZIP, TORCH_LEGACY, SAFETENSORS }

    /** Where a state_dict may sit inside a checkpoint dict, in the order they are tried. */
    public static final List<String> STATE_KEYS = List.of("state_dict", "model", "net");

    private Checkpoints() {
    }

    /** The format of a file, from its first bytes; an error says what the bytes look like. */
    public static Format detect(Path file) throws IOException {
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
        throw new IOException(file + ": unknown checkpoint format (first bytes " + hex(head)
                + "); expected a torch.save file (zip or legacy) or safetensors");
    }

    /** 0x1950a86a20f9469cfc6c as pickle LONG1 stores it: 10 little-endian bytes. */
    private static final byte[] LEGACY_MAGIC = {0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a,
            (byte) 0xa8, 0x50, 0x19};

    /** The tensors (normalized names, file order) and extras of a checkpoint in any supported format. */
    public static Checkpoint read(Path file) throws IOException {
        Format f = detect(file);
        if (f == Format.SAFETENSORS) {
            Safetensors.Contents c = Safetensors.read(file);
            Map<String, HostArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, HostArray> e : c.tensors().entrySet()) addNormalized(file, tensors, e.getKey(), e.getValue());
            return new Checkpoint(file, f, tensors, new LinkedHashMap<>(c.metadata()));
        }
        TorchContents contents = f == Format.TORCH_ZIP ? TorchZipReader.read(file) : TorchLegacyReader.read(file);
        return fromTorch(file, f, contents);
    }

    /**
     * Read a checkpoint and load it into module, strictly: if any name is missing or extra, or any
     * shape differs, nothing is loaded and a {@link CheckpointMismatchException} lists them all.
     */
    public static Checkpoint loadInto(Module module, Path file) throws IOException {
        Checkpoint c = read(file);
        StateDicts.Report fit = StateDicts.check(module, c.tensors());
        if (!fit.clean()) throw new CheckpointMismatchException(file, fit);
        StateDicts.load(module, c.tensors(), true);
        return c;
    }

    /** Write the module's state_dict as safetensors (F32, PyTorch names), atomically, with metadata. */
    public static void save(Module module, Path file, Map<String, String> metadata) throws IOException {
        Safetensors.write(file, StateDicts.toHost(module), metadata);
    }

    // ---------------------------------------------------------------- state_dict extraction

    private static Checkpoint fromTorch(Path file, Format format, TorchContents contents) throws IOException {
        if (!(contents.root() instanceof Map<?, ?> root))
            throw new IOException(file + ": holds a " + Unpickler.describe(contents.root())
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
                throw new IOException(file + ": state_dict key " + e.getKey() + " is not a string");
            if (!(e.getValue() instanceof TensorRef t))
                throw new IOException(file + ": state_dict entry '" + name + "' is a " + Unpickler.describe(e.getValue())
                        + ", not a tensor" + (stateKey == null ? " (and the file has none of " + STATE_KEYS + ")" : ""));
            addNormalized(file, tensors, name, gather(file, contents, name, t));
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        if (stateKey != null)
            for (Map.Entry<?, ?> e : root.entrySet())
                if (!stateKey.equals(e.getKey()) && e.getKey() instanceof String k) {
                    Object v = extra(file, contents, k, e.getValue());
                    if (v != null) extras.put(k, v);
                }
        return new Checkpoint(file, format, tensors, extras);
    }

    private static HostArray gather(Path file, TorchContents contents, String name, TensorRef t) throws IOException {
        StorageData data = contents.storages().get(t.storage().key());
        if (data == null) throw new IOException(file + ": tensor '" + name + "' uses storage '" + t.storage().key()
                + "', which has no data");
        return data.gather(t, file + ": tensor '" + name + "'");
    }

    /** A scalar extra (number, string, bool, one-element tensor) or null for anything else. */
    private static Object extra(Path file, TorchContents contents, String key, Object v) throws IOException {
        if (v instanceof Long || v instanceof Double || v instanceof String || v instanceof Boolean) return v;
        if (v instanceof TensorRef t && t.isSingleElement()) return (double) gather(file, contents, key, t).data()[0];
        return null;
    }

    /** Strip one leading "module." and skip num_batches_tracked; a name seen twice is an error. */
    private static void addNormalized(Path file, Map<String, HostArray> out, String name, HostArray value)
            throws IOException {
        String n = name.startsWith("module.") ? name.substring("module.".length()) : name;
        if (n.equals("num_batches_tracked") || n.endsWith(".num_batches_tracked")) return;
        if (out.put(n, value) != null)
            throw new IOException(file + ": tensor '" + n + "' appears twice (with and without 'module.'?)");
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 8); i++) s.append(String.format("%02x ", b[i] & 0xff));
        return s.toString().strip();
    }
}
