package org.archrepair.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Round trip, the byte layout of the spec, and malformed files. */
class SafetensorsTest {
    @TempDir
    Path dir;

    private static Map<String, HostArray> sample() {
        Map<String, HostArray> m = new LinkedHashMap<>();
        m.put("conv.weight", new HostArray(new int[]{2, 1, 1, 2}, new float[]{1, -2, 3.5f, Float.MIN_VALUE}));
        m.put("bn.running_var", new HostArray(new int[]{3}, new float[]{1, 2, 3}));
        m.put("scalar", new HostArray(new int[0], new float[]{42}));
        return m;
    }

    @Test
    void roundTripKeepsNamesShapesValuesOrderAndMetadata() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, sample(), Map.of("format", "pt"));
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(sample(), c.tensors());
        assertEquals(new java.util.ArrayList<>(sample().keySet()), new java.util.ArrayList<>(c.tensors().keySet()));
        assertEquals(Map.of("format", "pt"), c.metadata());
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        assertEquals(8 + n + 4 * (4 + 3 + 1), bytes.length);
        assertEquals('{', bytes[8]);
        float first = ByteBuffer.wrap(bytes, (int) (8 + n), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(1f, first);
    }

    /** A file with a hand-written header and data area. */
    private Path raw(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private void assertMalformed(Path f, String expected) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(f));
        assertEquals(f, e.file());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void readsOtherDtypes() throws IOException {
        // F16 1.0 = 0x3c00, BF16 -2.0 = 0xc000, I64 7
        ByteBuffer data = ByteBuffer.allocate(2 + 2 + 8).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3c00).putShort((short) 0xc000).putLong(7);
        String header = "{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[2,4]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[4,12]}}";
        Path f = raw(header, 12);
        byte[] bytes = Files.readAllBytes(f);
        System.arraycopy(data.array(), 0, bytes, bytes.length - 12, 12);
        Files.write(f, bytes);
        var t = Safetensors.read(f).tensors();
        assertEquals(1f, t.get("a").data()[0]);
        assertEquals(-2f, t.get("b").data()[0]);
        assertEquals(7f, t.get("n").data()[0]);
    }

    @Test
    void malformedFiles() throws IOException {
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[5]);
        assertMalformed(tiny, "too short");
        Path huge = dir.resolve("huge");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        assertMalformed(huge, "header length 1000");
        assertMalformed(raw("[1, 2]", 0), "not a JSON object");
        assertMalformed(raw("{\"a\": ", 0), "JSON");
        assertMalformed(raw("{\"a\":{\"dtype\":\"Q8\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "unsupported dtype");
        assertMalformed(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "needs 8");
        assertMalformed(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 2), "exceed");
        assertMalformed(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "hole or overlap");
        assertMalformed(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8), "cover 4");
        assertMalformed(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "non-negative");
        assertMalformed(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "Duplicate field 'a'");
        assertMalformed(raw("{\"__metadata__\":{\"k\":1}}", 0), "not a string");
    }

    private static final String F32 = "{\"a\":{\"dtype\":\"F32\",\"shape\":";

    /** The crash classes of issue 13 and their neighbours: each is one clear error, before any allocation. */
    @Test
    void hostileShapesOffsetsAndNumbers() throws IOException {
        // element count past 2^63 (was ArithmeticException "long overflow")
        assertMalformed(raw(F32 + "[2147483647,2147483647,2147483647],\"data_offsets\":[0,4]}}", 4),
                "has more than 2^63 elements");
        // element count below 2^63 whose byte count is not (was a negative product slipping past the size check)
        assertMalformed(raw(F32 + "[2147483647,2147483647,2],\"data_offsets\":[0,4]}}", 4), "needs more than 2^63");
        // a zero dimension makes the product 0 whatever the others are
        assertMalformed(raw(F32 + "[0,2147483647,2147483647,2147483647],\"data_offsets\":[0,4]}}", 4), "needs 0");
        assertMalformed(raw(F32 + "[4294967296],\"data_offsets\":[0,4]}}", 4), "more than 2^31-1");
        assertMalformed(raw(F32 + "[1],\"data_offsets\":[0,99999999999999999999]}}", 4), "below 2^63");
        assertMalformed(raw(F32 + "[1],\"data_offsets\":[0,9223372036854775807]}}", 4), "exceed the data area");
        assertMalformed(raw(F32 + "[1.0],\"data_offsets\":[0,4]}}", 4), "holds 1.0");
        assertMalformed(raw(F32 + "[" + "1,".repeat(64) + "1],\"data_offsets\":[0,4]}}", 4), "more than 64 entries");
        assertMalformed(raw(F32 + "[1],\"data_offsets\":[0,4,8]}}", 8), "more than 2 entries");
        assertMalformed(raw("{\"a\":{\"dtype\":[\"F32\"],\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "dtype is not a string");
        // strict numbers: non-ASCII digits, NaN, leading zeros are JSON errors with an offset
        assertMalformed(raw(F32 + "[\u0661],\"data_offsets\":[0,4]}}", 4), "JSON: ");
        assertMalformed(raw(F32 + "[NaN],\"data_offsets\":[0,4]}}", 4), "at offset");
        assertMalformed(raw(F32 + "[01],\"data_offsets\":[0,4]}}", 4), "at offset");
        // nesting far beyond the limit, in a place the reader skips
        assertMalformed(raw("{\"a\":{\"x\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}}", 0), "nesting depth");
        assertMalformed(raw("{}  x", 0), "JSON");
        Path invalid = raw("{\"__metadata__\":{\"k\":\"\u00e9\"}}", 0);
        byte[] bytes = Files.readAllBytes(invalid);
        bytes[bytes.length - 4] = (byte) 0xff;   // inside the value "é": not UTF-8 any more
        Files.write(invalid, bytes);
        assertMalformed(invalid, "not valid UTF-8");
    }

    @Test
    void headerLengthBeyondTheFormatOrTheFile() throws IOException {
        Path neg = dir.resolve("neg");
        Files.write(neg, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-8).array());
        assertMalformed(neg, "header length 18446744073709551608");
    }

    @Test
    void interruptedWriteLeavesThePriorFile() throws IOException {
        Path f = dir.resolve("ckpt.safetensors");
        Safetensors.write(f, sample(), Map.of());
        byte[] before = Files.readAllBytes(f);
        assertThrows(IOException.class, () -> AtomicFile.write(f, out -> {
            out.write(new byte[100]);
            throw new IOException("disk full");
        }));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }
}
