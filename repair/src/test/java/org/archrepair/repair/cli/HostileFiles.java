package org.archrepair.repair.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test-only: the four hostile checkpoints of issue 13's command-line checks, built byte by byte
 * (the models module's test writers are not visible here): a deeply nested pickle, a memo bomb,
 * a zip whose directory declares a 1 TB entry, and a safetensors shape whose product overflows.
 */
final class HostileFiles {
    private HostileFiles() {
    }

    /** {((((...(),)...),): None}: 100,000 tuples nested, used as a dict key. */
    static byte[] nestedPickleZip() {
        ByteArrayOutputStream p = pickle();
        p.write('}');
        p.write(')');
        for (int i = 0; i < 100_000; i++) p.write(0x85);   // TUPLE1
        p.write('N');
        p.write('s');
        p.write('.');
        return zip("nested/data.pkl", p.toByteArray());
    }

    /** t0 = (); t(k+1) = (tk, tk) through the memo, 60 levels; {t60: None}. */
    static byte[] memoBombZip() {
        ByteArrayOutputStream p = pickle();
        p.write('}');
        p.write(')');
        for (int k = 0; k < 60; k++) p.writeBytes(new byte[]{'q', (byte) k, 'h', (byte) k, (byte) 0x86});
        p.write('N');
        p.write('s');
        p.write('.');
        return zip("bomb/data.pkl", p.toByteArray());
    }

    private static ByteArrayOutputStream pickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        return p;
    }

    private static byte[] zip(String name, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            ZipEntry e = new ZipEntry(name);
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
            z.putNextEntry(e);
            z.write(data);
            z.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One deflated entry tb/data.pkl (a 1-byte pickle) whose ZIP64 directory record declares 2^40 bytes. */
    static byte[] terabyteZip() {
        byte[] name = "tb/data.pkl".getBytes(StandardCharsets.US_ASCII);
        byte[] packed = {0x03, 0x00};                       // deflate of nothing: one empty final block
        byte[] extra = le(12).putShort((short) 1).putShort((short) 8).putLong(1L << 40).array();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le(30).putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) 8).putInt(0)
                .putInt(0).putInt(packed.length).putInt(-1).putShort((short) name.length).putShort((short) extra.length)
                .array());
        out.writeBytes(name);
        out.writeBytes(extra);
        out.writeBytes(packed);
        int cenAt = out.size();
        out.writeBytes(le(46).putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0)
                .putShort((short) 8).putInt(0).putInt(0).putInt(packed.length).putInt(-1).putShort((short) name.length)
                .putShort((short) extra.length).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0)
                .putInt(0).array());
        out.writeBytes(name);
        out.writeBytes(extra);
        int cenSize = out.size() - cenAt;
        out.writeBytes(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1)
                .putShort((short) 1).putInt(cenSize).putInt(cenAt).putShort((short) 0).array());
        return out.toByteArray();
    }

    /** A safetensors file with shape [2^31-1, 2^31-1, 2^31-1]: more than 2^63 elements. */
    static byte[] overflowingSafetensors() {
        byte[] header = ("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],"
                + "\"data_offsets\":[0,4]}}").getBytes(StandardCharsets.US_ASCII);
        return le(8 + header.length + 4).putLong(header.length).put(header).array();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
