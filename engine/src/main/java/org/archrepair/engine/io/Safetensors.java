package org.archrepair.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes
 * of JSON {@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}},
 * then the raw little-endian data, offsets relative to its start.
 *
 * <p>Writing produces F32 tensors in the given order, the header padded with spaces to 8 bytes.
 * Reading accepts F32, F16, BF16, F64, I64, I32 (converted to float) and checks everything the
 * spec requires: header size within the file, valid UTF-8 JSON object, known dtypes,
 * non-negative shapes, {@code end - begin == numel * itemsize}, offsets in bounds, and the tensors
 * tiling the data area with no hole or overlap. Any violation names the file and what is wrong.
 */
public final class Safetensors {
    private static final long MAX_HEADER = 100L << 20;
    public static final String METADATA = "__metadata__";

    private Safetensors() {
    }

    /** The tensors of a file, in file order, and its metadata. */
    public record Contents(Map<String, HostArray> tensors, Map<String, String> metadata) {
    }

    public static void write(Path path, Map<String, HostArray> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) header.put(METADATA, new LinkedHashMap<>(metadata));
        long offset = 0;
        for (Map.Entry<String, HostArray> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) throw new IllegalArgumentException("tensor name " + METADATA + " is reserved");
            long bytes = 4L * e.getValue().data().length;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            info.put("shape", e.getValue().shape());
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), info);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        AtomicFile.write(path, out -> {
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(json);
            while (head.hasRemaining()) head.put((byte) ' ');
            out.write(head.array());
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (HostArray a : tensors.values()) {
                for (float v : a.data()) {
                    if (!chunk.hasRemaining()) {
                        out.write(chunk.array(), 0, chunk.position());
                        chunk.clear();
                    }
                    chunk.putFloat(v);
                }
            }
            out.write(chunk.array(), 0, chunk.position());
        });
    }

    public static Contents read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw bad(path, "file of " + size + " bytes is too short for the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.flip().getLong();
            if (n < 2 || n > MAX_HEADER || n > size - 8)
                throw bad(path, "header length " + Long.toUnsignedString(n) + " does not fit a file of " + size + " bytes");
            ByteBuffer headBuf = ByteBuffer.allocate((int) n);
            readFully(ch, headBuf, 8);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(headBuf.flip()).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw bad(path, "header is not valid UTF-8");
            }
            Object parsed;
            try {
                parsed = Json.parse(text.stripTrailing());
            } catch (IllegalArgumentException e) {
                throw bad(path, "header: " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?> header)) throw bad(path, "header is not a JSON object");
            long dataStart = 8 + n, dataSize = size - dataStart;
            Map<String, String> metadata = metadata(path, header.get(METADATA));
            List<Entry> entries = entries(path, header, dataSize);
            Map<String, HostArray> tensors = new LinkedHashMap<>();
            for (Entry e : entries) tensors.put(e.name, e.load(ch, dataStart));
            return new Contents(tensors, metadata);
        }
    }

    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
        HostArray load(FileChannel ch, long dataStart) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, b, dataStart + begin);
            b.flip();
            float[] out = new float[Math.toIntExact((end - begin) / itemSize(dtype))];
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (dtype) {
                    case "F32" -> b.getFloat();
                    case "F64" -> (float) b.getDouble();
                    case "F16" -> Float.float16ToFloat(b.getShort());
                    case "BF16" -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                    case "I64" -> (float) b.getLong();
                    case "I32" -> (float) b.getInt();
                    default -> throw new IllegalStateException(dtype);
                };
            }
            return new HostArray(shape, out);
        }
    }

    private static int itemSize(String dtype) {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            default -> -1;
        };
    }

    private static Map<String, String> metadata(Path path, Object m) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (m == null) return out;
        if (!(m instanceof Map<?, ?> map)) throw bad(path, METADATA + " is not an object");
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String v)) throw bad(path, METADATA + "." + e.getKey() + " is not a string");
            out.put((String) e.getKey(), v);
        }
        return out;
    }

    private static List<Entry> entries(Path path, Map<?, ?> header, long dataSize) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) continue;
            if (!(e.getValue() instanceof Map<?, ?> info)) throw bad(path, "tensor '" + name + "' is not an object");
            if (!(info.get("dtype") instanceof String dtype) || itemSize(dtype) < 0)
                throw bad(path, "tensor '" + name + "' has unsupported dtype " + info.get("dtype"));
            long[] dims = longs(path, name, "shape", info.get("shape"), -1);
            long[] offsets = longs(path, name, "data_offsets", info.get("data_offsets"), 2);
            int[] shape = new int[dims.length];
            long numel = 1;
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] > Integer.MAX_VALUE) throw bad(path, "tensor '" + name + "' dimension exceeds 2^31");
                shape[i] = (int) dims[i];
                numel = Math.multiplyExact(numel, dims[i]);
            }
            if (numel * itemSize(dtype) > Integer.MAX_VALUE)
                throw bad(path, "tensor '" + name + "' is larger than 2 GiB");
            long begin = offsets[0], end = offsets[1];
            if (begin > end || end > dataSize)
                throw bad(path, "tensor '" + name + "' offsets [" + begin + ", " + end + ") exceed the data area of "
                        + dataSize + " bytes");
            if (end - begin != numel * itemSize(dtype))
                throw bad(path, "tensor '" + name + "' has " + (end - begin) + " bytes, its shape "
                        + java.util.Arrays.toString(shape) + " of " + dtype + " needs " + numel * itemSize(dtype));
            entries.add(new Entry(name, dtype, shape, begin, end));
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin != expected)
                throw bad(path, "tensor '" + e.name + "' starts at byte " + e.begin + ", expected " + expected
                        + " (hole or overlap in the data area)");
            expected = e.end;
        }
        if (expected != dataSize)
            throw bad(path, "data area has " + dataSize + " bytes but the tensors cover " + expected);
        return entries;
    }

    private static long[] longs(Path path, String name, String field, Object v, int length) throws IOException {
        if (!(v instanceof List<?> list) || (length >= 0 && list.size() != length))
            throw bad(path, "tensor '" + name + "' field " + field + " must be a list"
                    + (length >= 0 ? " of " + length : "") + " of integers");
        long[] out = new long[list.size()];
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Long l) || l < 0)
                throw bad(path, "tensor '" + name + "' field " + field + " holds " + list.get(i)
                        + ", expected a non-negative integer");
            out[i] = l;
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, position);
            if (r < 0) throw new IOException("unexpected end of file");
            position += r;
        }
    }

    private static IOException bad(Path path, String what) {
        return new IOException("malformed safetensors file " + path + ": " + what);
    }
}
