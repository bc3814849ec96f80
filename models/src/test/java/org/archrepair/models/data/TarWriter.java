package org.archrepair.models.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Test-only: builds tar archives (ustar, optional GNU long names and pax headers) in memory, and gzips bytes. */
final class TarWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TarWriter file(String name, byte[] data) {
        if (name.length() > 99) header("././@LongLink", name.length() + 1, 'L').pad(raw(name.getBytes(StandardCharsets.UTF_8), true));
        header(name.length() > 99 ? name.substring(0, 99) : name, data.length, '0');
        return pad(raw(data, false));
    }

    /** A pax extended header ('x') whose body is the given records, verbatim. */
    TarWriter pax(String records) {
        byte[] body = records.getBytes(StandardCharsets.UTF_8);
        header("././@PaxHeader", body.length, 'x');
        return pad(raw(body, false));
    }

    TarWriter dir(String name) {
        return header(name, 0, '5');
    }

    /** Two zero blocks end the archive. */
    byte[] finish() {
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private TarWriter header(String name, long size, char type) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 1_262_304_000L));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) h[i] = ' ';
        int sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        out.writeBytes(h);
        return this;
    }

    private int raw(byte[] data, boolean nul) {
        out.writeBytes(data);
        if (nul) out.write(0);
        return data.length + (nul ? 1 : 0);
    }

    private TarWriter pad(int written) {
        out.writeBytes(new byte[(512 - written % 512) % 512]);
        return this;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(data);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.toByteArray();
    }
}
