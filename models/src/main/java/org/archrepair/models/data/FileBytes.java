package org.archrepair.models.data;

import org.archrepair.engine.io.ReadBudget;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reading whole data files into memory, gunzipping transparently (by the gzip magic, not the file
 * name), within a {@link ReadBudget}: a plain file's size is checked before its array exists, a
 * gzip stream is read in chunks each taken from the budget first, so a decompression bomb stops at
 * the budget with a message. (The gzip trailer's size is not trusted for an early refusal: in a
 * cut-short download those bytes are compressed data, and the error must say "truncated".) Errors
 * name the file and the byte offset where the data broke off.
 * Also the SHA-256 helper the downloader and the dataset checks share.
 *
 * <p>Not for files over 2 GiB (CIFAR-10 batches are 30 MB each).
 */
final class FileBytes {
    private static final int CHUNK = 1 << 20;

    private FileBytes() {
    }

    /** The file's bytes, gunzipped if it is gzip data, taken from budget. */
    static byte[] readAll(Path file, ReadBudget budget) throws IOException {
        long size = Files.size(file);
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try (raw; InputStream in = maybeGunzip(raw, file, file.toString())) {
            if (in != raw) return readBounded(in, file, file + " (gzip)", budget);
            if (size > ReadBudget.MAX_ARRAY || !budget.tryTake(size))
                throw new DatasetException(file, file + ": " + size + " bytes are " + budget.explain());
            byte[] b = in.readNBytes((int) size);
            if (b.length != size) throw new DatasetException(file, file + ": shrank to " + b.length + " bytes while being read");
            return b;
        }
    }

    /** A UTF-8 text file of at most maxBytes (a list of names, annotations), as a string. */
    static String readText(Path file, int maxBytes) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes)
            throw new DatasetException(file, file + ": " + size + " bytes, more than the " + maxBytes + " such a file may have");
        byte[] b = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new DatasetException(file, file + ": not UTF-8 text", e);
        }
    }

    /**
     * All of in, in chunks of at most 1 MiB, each taken from budget as it arrives (so at most one
     * chunk is ever held beyond the budget), then joined into one array, also taken from budget.
     */
    static byte[] readBounded(InputStream in, Path file, String label, ReadBudget budget) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        long total = 0;
        while (true) {
            byte[] chunk = fill(in, new byte[CHUNK]);
            total += chunk.length;
            if (!budget.tryTake(chunk.length) || total > ReadBudget.MAX_ARRAY)
                throw new DatasetException(file, label + ": decompresses to more than " + (total - chunk.length)
                        + " bytes, " + budget.explain());
            chunks.add(chunk);
            if (chunk.length < CHUNK) break;
        }
        if (chunks.size() == 1) return chunks.getFirst();
        if (!budget.tryTake(total))
            throw new DatasetException(file, label + ": " + total + " decompressed bytes are " + budget.explain());
        byte[] out = new byte[(int) total];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, out, at, c.length);
            at += c.length;
        }
        return out;
    }

    /** As much of in as fits buf: buf itself when full, a shorter copy at the end of the stream. */
    private static byte[] fill(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        for (int r; n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0; ) n += r;
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    /**
     * A gunzipping stream over raw when raw starts with the gzip magic 1f 8b; otherwise raw itself
     * (or, if raw cannot mark, a buffer over it), unread. label names the data in errors.
     */
    static InputStream maybeGunzip(InputStream raw, Path file, String label) throws IOException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? gunzipStream(in, file, label) : in;
    }

    /** Open a gzip stream whose failures name the file and the offsets reached. */
    private static InputStream gunzipStream(InputStream compressed, Path file, String label) throws IOException {
        CountingInputStream counted = new CountingInputStream(compressed);
        GZIPInputStream gz;
        try {
            gz = new GZIPInputStream(counted, 1 << 16);
        } catch (EOFException | ZipException e) {
            throw gzipError(file, label, e, 0, counted.position());
        }
        return new InputStream() {
            long out;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    int n = gz.read(b, off, len);
                    if (n > 0) out += n;
                    return n;
                } catch (EOFException | ZipException e) {
                    throw gzipError(file, label, e, out, counted.position());
                }
            }

            @Override
            public void close() throws IOException {
                gz.close();
            }
        };
    }

    private static DatasetException gzipError(Path file, String label, IOException e, long decompressed,
                                              long compressedRead) {
        String why = e.getMessage() != null ? e.getMessage() : "the data ends early";
        return new DatasetException(file, "truncated or corrupt gzip data in " + label + " (" + why + ") after "
                + decompressed + " decompressed bytes, compressed input read up to byte " + compressedRead, e);
    }

    /** Lower-case hex SHA-256 of bytes. */
    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    /** Lower-case hex SHA-256 of a file, streamed. */
    static String sha256(Path file) throws IOException {
        var md = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static java.security.MessageDigest digest() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
