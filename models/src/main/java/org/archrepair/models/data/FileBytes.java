package org.archrepair.models.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reading whole data files into memory, gunzipping transparently (by the gzip magic, not the file
 * name), with errors that name the file and the byte offset where the data broke off; and the
 * SHA-256 helper the downloader and the dataset checks share.
 *
 * <p>Not for files over 2 GiB (CIFAR-10 batches are 30 MB each).
 */
final class FileBytes {
    private FileBytes() {
    }

    /** The file's bytes, gunzipped if it is gzip data. */
    static byte[] readAll(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try (raw; InputStream in = maybeGunzip(raw, file.toString())) {
            return in.readAllBytes();
        }
    }

    /**
     * A gunzipping stream over raw when raw starts with the gzip magic 1f 8b; otherwise raw itself
     * (or, if raw cannot mark, a buffer over it), unread. label names the data in errors.
     */
    static InputStream maybeGunzip(InputStream raw, String label) throws IOException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? gunzipStream(in, label) : in;
    }

    /** Open a gzip stream whose failures name the file and the offsets reached. */
    private static InputStream gunzipStream(InputStream compressed, String label) throws IOException {
        CountingInputStream counted = new CountingInputStream(compressed);
        GZIPInputStream gz;
        try {
            gz = new GZIPInputStream(counted, 1 << 16);
        } catch (EOFException | ZipException e) {
            throw gzipError(label, e, 0, counted.position());
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
                    throw gzipError(label, e, out, counted.position());
                }
            }

            @Override
            public void close() throws IOException {
                gz.close();
            }
        };
    }

    private static IOException gzipError(String label, IOException e, long decompressed, long compressedRead) {
        return new IOException("truncated or corrupt gzip data in " + label + " (" + e.getMessage() + ") after "
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
