package org.archrepair.engine.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file, parsed as a stream (memory in proportion to what it
 * declares, never a generic tree) and checked against the data area before anything is
 * allocated for it: known dtype, at most {@link #MAX_RANK} dimensions of at most 2^31-1, an element
 * count computed without overflow, {@code end - begin == numel * itemsize} within the data area and
 * within one Java array, and the tensors tiling the data area with no hole or overlap.
 *
 * <p>What it is not: a reader of the data (see {@link Safetensors}) or of any other JSON.
 */
record SafetensorsHeader(List<SafetensorsHeader.Entry> entries, Map<String, String> metadata) {
    /** More dimensions than any framework allows (PyTorch: 64). */
    static final int MAX_RANK = 64;

    /** One tensor: bytes [begin, end) of the data area hold its elements, row-major, little-endian. */
    record Entry(String name, String dtype, int[] shape, long numel, long begin, long end) {
    }

    static int itemSize(String dtype) {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            default -> -1;
        };
    }

    static SafetensorsHeader parse(Path path, byte[] json, long dataSize) throws SafetensorsException {
        checkUtf8(path, json);
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonParser p = JsonFormat.parser(json)) {
            try {
                if (p.nextToken() != JsonToken.START_OBJECT) throw bad(path, "header is not a JSON object");
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (name.equals(Safetensors.METADATA)) metadata(path, p, value, metadata);
                    else entries.add(entry(path, p, value, name, dataSize));
                }
                if (p.nextToken() != null) throw bad(path, "header has content after its JSON object");
            } catch (JsonProcessingException e) {
                throw new SafetensorsException(path, "header: " + JsonFormat.describe(JsonFormat.located(p, e)), e);
            }
        } catch (SafetensorsException e) {
            throw e;
        } catch (IOException e) {   // a parser over a byte array reads nothing else
            throw new SafetensorsException(path, "header: " + e.getMessage(), e);
        }
        checkTiling(path, entries, dataSize);
        return new SafetensorsHeader(entries, metadata);
    }

    private static void checkUtf8(Path path, byte[] json) throws SafetensorsException {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(json);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isError()) throw bad(path, "header is not valid UTF-8 (at header byte " + in.position() + ")");
            if (r.isUnderflow()) return;
            out.clear();
        }
    }

    private static void metadata(Path path, JsonParser p, JsonToken value, Map<String, String> out) throws IOException {
        if (value != JsonToken.START_OBJECT) throw bad(path, Safetensors.METADATA + " is not an object");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING)
                throw bad(path, Safetensors.METADATA + "." + key + " is not a string");
            out.put(key, p.getText());
        }
    }

    private static Entry entry(Path path, JsonParser p, JsonToken value, String name, long dataSize) throws IOException {
        if (value != JsonToken.START_OBJECT) throw bad(path, "tensor '" + name + "' is not an object");
        String dtype = null;
        long[] dims = null, offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (v != JsonToken.VALUE_STRING) throw bad(path, "tensor '" + name + "' field dtype is not a string");
                    dtype = p.getText();
                }
                case "shape" -> dims = longs(path, p, v, name, field, MAX_RANK);
                case "data_offsets" -> offsets = longs(path, p, v, name, field, 2);
                default -> p.skipChildren();
            }
        }
        if (dtype == null || itemSize(dtype) < 0)
            throw bad(path, "tensor '" + name + "' has unsupported dtype " + preview(dtype));
        if (dims == null) throw bad(path, "tensor '" + name + "' has no shape");
        if (offsets == null || offsets.length != 2)
            throw bad(path, "tensor '" + name + "' field data_offsets must be a list of 2 integers");
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE)
                throw bad(path, "tensor '" + name + "' dimension " + i + " is " + dims[i] + ", more than 2^31-1");
            shape[i] = (int) dims[i];
        }
        long numel = numel(shape);
        if (numel < 0)
            throw bad(path, "tensor '" + name + "' shape " + Arrays.toString(shape) + " has more than 2^63 elements");
        return checked(path, new Entry(name, dtype, shape, numel, offsets[0], offsets[1]), dataSize);
    }

    /** The product of the sizes (0 if any is 0), or -1 past Long.MAX_VALUE. */
    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) if (d == 0) return 0;
        for (int d : shape) {
            if (n > Long.MAX_VALUE / d) return -1;
            n *= d;
        }
        return n;
    }

    private static Entry checked(Path path, Entry e, long dataSize) throws SafetensorsException {
        if (e.begin > e.end || e.end > dataSize)
            throw bad(path, "tensor '" + e.name + "' offsets [" + e.begin + ", " + e.end + ") exceed the data area of "
                    + dataSize + " bytes");
        int k = itemSize(e.dtype);
        long bytes = e.end - e.begin;
        if (e.numel > bytes / k || e.numel * k != bytes)
            throw bad(path, "tensor '" + e.name + "' has " + bytes + " bytes, its shape " + Arrays.toString(e.shape)
                    + " of " + e.dtype + " needs " + (e.numel <= Long.MAX_VALUE / k ? Long.toString(e.numel * k)
                    : "more than 2^63"));
        if (bytes > ReadBudget.MAX_ARRAY)
            throw bad(path, "tensor '" + e.name + "' has " + bytes + " bytes, more than one Java array holds");
        return e;
    }

    private static void checkTiling(Path path, List<Entry> entries, long dataSize) throws SafetensorsException {
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
    }

    /** A list of at most max non-negative integers that fit a long (max 2: exactly 2 is checked by the caller). */
    private static long[] longs(Path path, JsonParser p, JsonToken v, String name, String field, int max)
            throws IOException {
        String what = "tensor '" + name + "' field " + field;
        if (v != JsonToken.START_ARRAY) throw bad(path, what + " must be a list of integers");
        long[] out = new long[Math.min(max, 8)];
        int n = 0;
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
            if (n == max) throw bad(path, what + " has more than " + max + " entries");
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || p.getLongValue() < 0)
                throw bad(path, what + " holds " + preview(t.isScalarValue() ? p.getText() : t.asString())
                        + ", expected a non-negative integer below 2^63");
            if (n == out.length) out = Arrays.copyOf(out, Math.min(max, 2 * n));
            out[n++] = p.getLongValue();
        }
        return Arrays.copyOf(out, n);
    }

    private static String preview(String s) {
        if (s == null) return "(none)";
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static SafetensorsException bad(Path path, String what) {
        return new SafetensorsException(path, what);
    }
}
