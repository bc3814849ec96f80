package org.archrepair.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes
 * of JSON {@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}},
 * then the raw little-endian data, offsets relative to its start.
 *
 * <p>Writing produces F32 tensors in the given order, the header padded with spaces to 8 bytes.
 * Reading accepts F32, F16, BF16, F64, I64, I32 (converted to float) and treats the file as
 * untrusted: the header length is checked against the file, the header is parsed by
 * {@link SafetensorsHeader} (strict JSON within {@link JsonFormat#LIMITS}, shapes and offsets with
 * overflow-free arithmetic against the data area), and the floats it will allocate are taken from
 * a {@link ReadBudget} first. Every failure is a {@link SafetensorsException} naming the file and
 * what is wrong.
 */
public final class Safetensors {
    /** The spec's limit (and the Rust reader's): a longer header is refused before it is read. */
    private static final long MAX_HEADER = 100_000_000L;
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
        byte[] json = JsonFormat.write(header).getBytes(StandardCharsets.UTF_8);
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
            if (size < 8) throw new SafetensorsException(path, "file of " + size + " bytes is too short for the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(path, ch, lenBuf, 0);
            long n = lenBuf.flip().getLong();
            if (n < 2 || n > MAX_HEADER || n > size - 8)
                throw new SafetensorsException(path, "header length " + Long.toUnsignedString(n) + " does not fit a file of "
                        + size + " bytes" + (n > MAX_HEADER && n <= size - 8 ? " (the format allows " + MAX_HEADER + ")" : ""));
            ReadBudget budget = ReadBudget.ofHeap();
            if (!budget.tryTake(n)) throw new SafetensorsException(path, "header of " + n + " bytes is " + budget.explain());
            ByteBuffer head = ByteBuffer.allocate((int) n);
            readFully(path, ch, head, 8);
            long dataStart = 8 + n;
            SafetensorsHeader header = SafetensorsHeader.parse(path, head.array(), size - dataStart);
            long floats = 0;
            for (SafetensorsHeader.Entry e : header.entries()) floats += 4 * e.numel();   // <= 2 * file size: no overflow
            if (!budget.tryTake(floats))
                throw new SafetensorsException(path, "its tensors need " + floats + " bytes as floats, " + budget.explain());
            Map<String, HostArray> tensors = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : header.entries()) tensors.put(e.name(), load(path, ch, e, dataStart));
            return new Contents(tensors, header.metadata());
        }
    }

    /** The entry's elements as floats; its byte range was checked against the data area by the header. */
    private static HostArray load(Path path, FileChannel ch, SafetensorsHeader.Entry e, long dataStart) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
        readFully(path, ch, b, dataStart + e.begin());
        b.flip();
        float[] out = new float[(int) e.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (e.dtype()) {
                case "F32" -> b.getFloat();
                case "F64" -> (float) b.getDouble();
                case "F16" -> Float.float16ToFloat(b.getShort());
                case "BF16" -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                case "I64" -> (float) b.getLong();
                case "I32" -> (float) b.getInt();
                default -> throw new IllegalStateException(e.dtype());
            };
        }
        return new HostArray(e.shape(), out);
    }

    private static void readFully(Path path, FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, position);
            if (r < 0)
                throw new SafetensorsException(path, "the file ends at byte " + position + ", " + b.remaining()
                        + " bytes short (it shrank while being read?)");
            position += r;
        }
    }
}
