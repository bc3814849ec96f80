package org.archrepair.models.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Test-only: a zip writer whose central directory says whatever the test wants: stored or deflated
 * entries with their true sizes and CRC-32 by default, or a declared size, CRC or a ZIP64 size of a
 * terabyte that the data does not have; for hostile archives java.util.zip refuses to write.
 */
public final class CraftedZip {
    private record Entry(String name, byte[] data, boolean deflate, Long declaredSize, Long crc, boolean zip64) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public CraftedZip stored(String name, byte[] data) {
        entries.add(new Entry(name, data, false, null, null, false));
        return this;
    }

    public CraftedZip deflated(String name, byte[] data) {
        entries.add(new Entry(name, data, true, null, null, false));
        return this;
    }

    /** An entry whose directory record declares size (in a ZIP64 extra field if zip64) and crc (null: the true ones). */
    public CraftedZip lying(String name, byte[] data, boolean deflate, Long size, Long crc, boolean zip64) {
        entries.add(new Entry(name, data, deflate, size, crc, zip64));
        return this;
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream cen = new ByteArrayOutputStream();
        for (Entry e : entries) {
            byte[] packed = e.deflate ? deflate(e.data) : e.data;
            CRC32 c = new CRC32();
            c.update(e.data);
            long crc = e.crc != null ? e.crc : c.getValue();
            long size = e.declaredSize != null ? e.declaredSize : e.data.length;
            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            byte[] extra = e.zip64 ? le(12).putShort((short) 1).putShort((short) 8).putLong(size).array() : new byte[0];
            long offset = out.size();
            int method = e.deflate ? 8 : 0;
            ByteBuffer loc = le(30).putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) method)
                    .putInt(0).putInt((int) crc).putInt(packed.length).putInt(e.zip64 ? -1 : (int) size)
                    .putShort((short) name.length).putShort((short) extra.length);
            out.writeBytes(loc.array());
            out.writeBytes(name);
            out.writeBytes(extra);
            out.writeBytes(packed);
            ByteBuffer h = le(46).putInt(0x02014b50).putShort((short) 45).putShort((short) 20).putShort((short) 0)
                    .putShort((short) method).putInt(0).putInt((int) crc).putInt(packed.length)
                    .putInt(e.zip64 ? -1 : (int) size).putShort((short) name.length).putShort((short) extra.length)
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offset);
            cen.writeBytes(h.array());
            cen.writeBytes(name);
            cen.writeBytes(extra);
        }
        long cenAt = out.size();
        out.writeBytes(cen.toByteArray());
        out.writeBytes(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) entries.size()).putShort((short) entries.size()).putInt(cen.size()).putInt((int) cenAt)
                .putShort((short) 0).array());
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
