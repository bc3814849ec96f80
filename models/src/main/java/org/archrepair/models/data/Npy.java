package org.archrepair.models.data;

import org.archrepair.engine.io.AtomicFile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files as the corruption benchmarks publish them: uint8 images of shape
 * (N, H, W, C) in C order (CIFAR-10-C, Tiny-ImageNet-C converted to arrays, and ours) and integer
 * labels of shape (N) (uint8 in CIFAR-10-C, int64 in others). Reads format versions 1.0 to 3.0,
 * writes 1.0 with the 64-byte aligned header numpy writes.
 *
 * <p>Everything about a file is checked before a large array is allocated: the header length is
 * capped (numpy's own reader caps it at 10,000 bytes), the shape must be what the caller asked for
 * and must match the number of bytes the file holds, and the array must fit in one Java array.
 * Every error names the file and what is wrong with it.
 *
 * <p>What it is not: a general numpy reader (no floats, no Fortran order, no object arrays, no
 * {@code .npz}), and it never memory-maps.
 */
public final class Npy {
    /** numpy.lib.format's default max_header_size: a longer header is refused before it is read. */
    public static final int MAX_HEADER_BYTES = 10_000;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int CHUNK_BYTES = 1 << 22;

    private Npy() {
    }

    /** What a header says: the dtype descriptor ('|u1', '<i8', ...), the order, the shape, where the data starts. */
    public record Header(String descr, boolean fortranOrder, long[] shape, long dataOffset) {
        /** Elements in the array (the product of the shape). */
        public long count() {
            long n = 1;
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }

        public String shapeText() {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < shape.length; i++) b.append(i > 0 ? ", " : "").append(shape[i]);
            return b.append(shape.length == 1 ? ",)" : ")").toString();
        }
    }

    /** uint8 images of a (N, H, W, C) file, returned as (N, C, H, W) like {@link ImageDataset}. */
    public record Images(int n, int channels, int height, int width, byte[] chw) {
    }

    // ---------------------------------------------------------------- reading

    public static Header readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, ch);
        }
    }

    /** The images of a uint8 (N, H, W, C) file, transposed to (N, C, H, W). */
    public static Images readImages(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(file, ch);
            if (!h.descr().equals("|u1") && !h.descr().equals("<u1") && !h.descr().equals(">u1"))
                throw new IOException(file + ": dtype '" + h.descr() + "', expected uint8 images ('|u1')");
            if (h.shape().length != 4)
                throw new IOException(file + ": shape " + h.shapeText() + ", expected images (N, H, W, C)");
            long n = h.shape()[0], height = h.shape()[1], width = h.shape()[2], c = h.shape()[3];
            if (c != 1 && c != 3)
                throw new IOException(file + ": shape " + h.shapeText() + " has " + c + " channels, expected 3 (RGB) or 1");
            if (height < 1 || width < 1) throw new IOException(file + ": shape " + h.shapeText() + " has empty images");
            checkSize(file, ch, h, 1);
            byte[] chw = new byte[(int) h.count()];   // (N, C, H, W)
            int per = (int) (height * width * c);
            int batch = Math.max(1, CHUNK_BYTES / per);
            ByteBuffer buf = ByteBuffer.allocate(batch * per);
            for (long first = 0; first < n; first += batch) {
                int k = (int) Math.min(batch, n - first);
                buf.clear().limit(k * per);
                readFully(file, ch, buf, h.dataOffset() + first * per);
                hwcToChw(buf.array(), k, (int) height, (int) width, (int) c, chw, (int) (first * per));
            }
            return new Images((int) n, (int) c, (int) height, (int) width, chw);
        }
    }

    /** Labels of a 1-D integer file (uint8 ... int64, either byte order), each in 0..Integer.MAX_VALUE. */
    public static int[] readLabels(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(file, ch);
            Matcher m = Pattern.compile("([<>|=])([ui])([1248])").matcher(h.descr());
            if (!m.matches())
                throw new IOException(file + ": dtype '" + h.descr() + "', expected integer labels (e.g. '|u1' or '<i8')");
            if (h.shape().length != 1)
                throw new IOException(file + ": shape " + h.shapeText() + ", expected labels (N,)");
            int size = Integer.parseInt(m.group(3));
            boolean unsigned = m.group(2).equals("u");
            ByteOrder order = m.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            checkSize(file, ch, h, size);
            ByteBuffer buf = ByteBuffer.allocate((int) (h.count() * size)).order(order);
            readFully(file, ch, buf, h.dataOffset());
            buf.flip();
            int[] labels = new int[(int) h.count()];
            for (int i = 0; i < labels.length; i++) {
                long v = switch (size) {
                    case 1 -> unsigned ? buf.get() & 0xff : buf.get();
                    case 2 -> unsigned ? buf.getShort() & 0xffff : buf.getShort();
                    case 4 -> unsigned ? buf.getInt() & 0xffffffffL : buf.getInt();
                    default -> buf.getLong();
                };
                if (v < 0 || v > Integer.MAX_VALUE)
                    throw new IOException(file + ": label " + (unsigned ? Long.toUnsignedString(v) : v) + " at index "
                            + i + " is not a class index");
                labels[i] = (int) v;
            }
            return labels;
        }
    }

    static Header readHeader(Path file, FileChannel ch) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        int got = readSome(ch, pre, 0);
        pre.flip();
        if (got < 10 || !Arrays.equals(Arrays.copyOf(pre.array(), 6), MAGIC))
            throw new IOException(file + ": not a .npy file (it does not start with \\x93NUMPY)");
        int major = pre.get(6) & 0xff, minor = pre.get(7) & 0xff;
        long headerLength;
        int lengthEnd;
        if (major == 1) {
            headerLength = pre.getShort(8) & 0xffff;
            lengthEnd = 10;
        } else if (major == 2 || major == 3) {
            if (got < 12) throw new IOException(file + ": .npy header cut short after " + got + " bytes");
            headerLength = pre.getInt(8) & 0xffffffffL;
            lengthEnd = 12;
        } else {
            throw new IOException(file + ": .npy format version " + major + "." + minor + " is not supported (1.0 to 3.0 are)");
        }
        if (headerLength > MAX_HEADER_BYTES)
            throw new IOException(file + ": .npy header of " + headerLength + " bytes is longer than the "
                    + MAX_HEADER_BYTES + " this reader accepts (corrupt file?)");
        ByteBuffer text = ByteBuffer.allocate((int) headerLength);
        if (readSome(ch, text, lengthEnd) < headerLength)
            throw new IOException(file + ": .npy header cut short: it announces " + headerLength + " bytes, the file ends first");
        String dict = new String(text.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).strip();
        return parseHeader(file, dict, lengthEnd + headerLength);
    }

    /** The header dictionary: {'descr': '|u1', 'fortran_order': False, 'shape': (N, H, W, C), }. */
    static Header parseHeader(Path file, String dict, long dataOffset) throws IOException {
        if (!dict.startsWith("{") || !dict.endsWith("}"))
            throw new IOException(file + ": .npy header is not a dictionary: " + abbreviate(dict));
        Map<String, String> entries = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\s*'(\\w+)'\\s*:\\s*('[^']*'|True|False|\\([^)]*\\))\\s*,?").matcher(dict);
        int at = 1, end = dict.length() - 1;
        while (at < end && !dict.substring(at, end).isBlank()) {
            if (!m.region(at, end).lookingAt())
                throw new IOException(file + ": cannot parse the .npy header at '" + abbreviate(dict.substring(at)) + "'");
            entries.put(m.group(1), m.group(2));
            at = m.end();
        }
        String descr = entries.get("descr"), order = entries.get("fortran_order"), shape = entries.get("shape");
        if (descr == null || order == null || shape == null)
            throw new IOException(file + ": .npy header lacks " + (descr == null ? "'descr'" : order == null
                    ? "'fortran_order'" : "'shape'") + ": " + abbreviate(dict));
        if (!descr.startsWith("'")) throw new IOException(file + ": .npy 'descr' is not a string: " + descr);
        if (order.equals("True"))
            throw new IOException(file + ": Fortran-order arrays are not supported (save it with numpy's default C order)");
        return new Header(descr.substring(1, descr.length() - 1), false, parseShape(file, shape), dataOffset);
    }

    private static long[] parseShape(Path file, String tuple) throws IOException {
        String inner = tuple.substring(1, tuple.length() - 1).strip();
        if (inner.endsWith(",")) inner = inner.substring(0, inner.length() - 1);
        if (inner.isBlank()) throw new IOException(file + ": .npy shape () is a scalar, expected an array");
        String[] parts = inner.split(",");
        long[] shape = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.endsWith("L")) p = p.substring(0, p.length() - 1);   // written by Python 2
            if (!p.matches("\\d{1,18}")) throw new IOException(file + ": .npy shape " + tuple + " has a bad dimension '" + p + "'");
            shape[i] = Long.parseLong(p);
        }
        return shape;
    }

    /** The file must hold exactly count * itemSize bytes after the header, and they must fit in one array. */
    private static void checkSize(Path file, FileChannel ch, Header h, int itemSize) throws IOException {
        long bytes;
        try {
            bytes = Math.multiplyExact(h.count(), itemSize);
        } catch (ArithmeticException e) {
            throw new IOException(file + ": .npy shape " + h.shapeText() + " is absurdly large");
        }
        long available = ch.size() - h.dataOffset();
        if (bytes != available)
            throw new IOException(file + ": shape " + h.shapeText() + " of '" + h.descr() + "' needs " + bytes
                    + " bytes of data, the file has " + available + " after its header ("
                    + (available < bytes ? "truncated" : "trailing bytes") + ")");
        if (bytes > Integer.MAX_VALUE - 8)
            throw new IOException(file + ": " + bytes + " bytes of data do not fit in one Java array (2 GiB)");
    }

    private static int readSome(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + total);
            if (n < 0) break;
            total += n;
        }
        return total;
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        int want = buf.remaining();
        if (readSome(ch, buf, position) < want)
            throw new IOException(file + ": data ends early near byte " + (position + want) + " (file changed while reading?)");
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }

    static void hwcToChw(byte[] hwc, int n, int h, int w, int c, byte[] chw, int offset) {
        int plane = h * w, per = plane * c;
        for (int i = 0; i < n; i++)
            for (int p = 0; p < plane; p++)
                for (int k = 0; k < c; k++) chw[offset + i * per + k * plane + p] = hwc[i * per + p * c + k];
    }

    // ---------------------------------------------------------------- writing

    /** Write (N, C, H, W) uint8 images as a (N, H, W, C) '|u1' file, atomically. */
    public static void writeImages(Path file, byte[] chw, int n, int c, int h, int w) throws IOException {
        long per = (long) c * h * w;
        if (per * n != chw.length)
            throw new IllegalArgumentException(n + " images of " + c + "x" + h + "x" + w + " need " + per * n
                    + " bytes, got " + chw.length);
        AtomicFile.write(file, out -> {
            out.write(header("|u1", new long[]{n, h, w, c}));
            int batch = (int) Math.max(1, CHUNK_BYTES / per);
            byte[] hwc = new byte[(int) (batch * per)];
            for (int first = 0; first < n; first += batch) {
                int k = Math.min(batch, n - first);
                chwToHwc(chw, first, k, c, h * w, hwc);
                out.write(hwc, 0, (int) (k * per));
            }
        });
    }

    /** Write labels as '|u1' when all fit in a byte (as CIFAR-10-C does), else '<i8', atomically. */
    public static void writeLabels(Path file, int[] labels) throws IOException {
        boolean small = Arrays.stream(labels).allMatch(v -> v >= 0 && v < 256);
        ByteBuffer data = ByteBuffer.allocate(labels.length * (small ? 1 : 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : labels) {
            if (small) data.put((byte) v);
            else data.putLong(v);
        }
        AtomicFile.write(file, (OutputStream out) -> {
            out.write(header(small ? "|u1" : "<i8", new long[]{labels.length}));
            out.write(data.array());
        });
    }

    /** A version 1.0 header whose length (magic to newline) is a multiple of 64, as numpy writes it. */
    static byte[] header(String descr, long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) dict.append(i > 0 ? ", " : "").append(shape[i]);
        dict.append(shape.length == 1 ? ",), }" : "), }");
        int total = 10 + dict.length() + 1;
        dict.append(" ".repeat((64 - total % 64) % 64)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return b.array();
    }

    private static void chwToHwc(byte[] chw, int first, int k, int c, int plane, byte[] hwc) {
        int per = plane * c;
        for (int i = 0; i < k; i++) {
            int src = (first + i) * per, dst = i * per;
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < plane; p++) hwc[dst + p * c + ch] = chw[src + ch * plane + p];
        }
    }
}
