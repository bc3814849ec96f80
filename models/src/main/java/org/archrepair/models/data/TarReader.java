package org.archrepair.models.data;

import org.archrepair.engine.io.ReadBudget;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A forward-only reader of tar archives (POSIX ustar, with the GNU long-name and pax "path"/"size"
 * extensions that common tar writers emit), over any stream, e.g. a gunzipped one. Each header's
 * checksum is verified; a truncated or corrupt archive is a {@link DatasetException} naming the
 * archive and the byte offset in the tar stream. A member's declared size is taken from the
 * caller's {@link ReadBudget} before its bytes are allocated ({@link #readData}); extended headers
 * are at most 1 MiB; members that are not read are skipped by streaming, holding nothing.
 *
 * <p>What it is not: no writing, no random access, no links or sparse files (they are skipped as
 * entries of their declared size), and it never touches the file system.
 */
final class TarReader {
    private static final int BLOCK = 512;

    /** One member: its path inside the archive, its size in bytes and its tar type flag ('0' = file). */
    record Entry(String name, long size, char type, long headerOffset) {
        boolean isFile() {
            return type == '0' || type == '\0' || type == '7';
        }
    }

    private final CountingInputStream in;
    private final Path file;
    private final String archive;
    private long remaining;     // bytes of the current entry not yet read
    private long padding;       // zero bytes after the current entry up to the next block
    private Entry current;

    /** in: the tar stream of file; archive: how errors name it (e.g. "x.tar.gz (tar inside gzip)"). */
    TarReader(InputStream in, Path file, String archive) {
        this.in = new CountingInputStream(in);
        this.file = file;
        this.archive = archive;
    }

    /** The next member, or null at the end of the archive. Skips what was left of the previous one. */
    Entry next() throws IOException {
        skipRest();
        String longName = null;
        Long paxSize = null;
        while (true) {
            long at = in.position();
            byte[] header = new byte[BLOCK];
            int got = readUpTo(header);
            if (got == 0 && longName == null) return end();
            if (got < BLOCK) throw error("header at byte " + at + " is cut short after " + got + " of 512 bytes");
            if (allZero(header)) {
                if (longName != null) throw error("end-of-archive marker at byte " + at + " follows a long-name header");
                return end();
            }
            checkChecksum(header, at);
            char type = (char) (header[156] & 0xff);
            long size = paxSize != null ? paxSize : parseSize(header, at);
            String name = longName != null ? longName : headerName(header);
            if (type == 'L' || type == 'x' || type == 'g') {
                byte[] body = readMeta(size, at);
                if (type == 'L') longName = cString(body, 0, body.length);
                if (type == 'x') {
                    Pax pax = parsePax(body, at);
                    if (pax.path() != null) longName = pax.path();
                    if (pax.size() != null) paxSize = pax.size();
                }
                continue;
            }
            current = new Entry(name, size, type, at);
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            return current;
        }
    }

    /** All bytes of the member last returned by {@link #next}: its declared size is taken from budget first. */
    byte[] readData(ReadBudget budget) throws IOException {
        if (current == null) throw new IllegalStateException("no current entry");
        if (remaining != current.size) throw new IllegalStateException("entry already read");
        if (remaining > ReadBudget.MAX_ARRAY || !budget.tryTake(remaining))
            throw error("entry '" + current.name + "' (header at byte " + current.headerOffset + ") declares "
                    + remaining + " bytes, " + budget.explain());
        byte[] b = new byte[(int) remaining];
        if (readUpTo(b) < b.length) throw truncatedEntry();
        remaining = 0;
        return b;
    }

    private Entry end() {
        current = null;
        return null;
    }

    private void skipRest() throws IOException {
        if (current == null) return;
        byte[] buf = new byte[8192];
        while (remaining > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
            if (n < 0) throw truncatedEntry();
            remaining -= n;
        }
        while (padding > 0) {
            int n = in.read(buf, 0, (int) padding);
            if (n < 0) throw error("padding after entry '" + current.name + "' is cut short at byte " + in.position());
            padding -= n;
        }
        current = null;
    }

    private DatasetException truncatedEntry() {
        return error("entry '" + current.name + "' (" + current.size + " bytes, header at byte " + current.headerOffset
                + ") ends early at byte " + in.position());
    }

    private int readUpTo(byte[] b) throws IOException {
        int got = 0;
        while (got < b.length) {
            int n = in.read(b, got, b.length - got);
            if (n < 0) break;
            got += n;
        }
        return got;
    }

    private byte[] readMeta(long size, long at) throws IOException {
        if (size > (1 << 20)) throw error("extended header at byte " + at + " claims " + size + " bytes");
        byte[] body = new byte[(int) size];
        if (readUpTo(body) < size) throw error("extended header at byte " + at + " is cut short");
        byte[] pad = new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)];
        if (readUpTo(pad) < pad.length) throw error("extended header at byte " + at + " is cut short");
        return body;
    }

    private void checkChecksum(byte[] h, long at) throws IOException {
        long stored = parseOctal(h, 148, 8, at, "checksum");
        long unsigned = 0, signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += (i >= 148 && i < 156) ? ' ' : h[i];
        }
        if (stored != unsigned && stored != signed)
            throw error("header at byte " + at + " has checksum " + stored + " but its bytes sum to " + unsigned
                    + " (corrupt archive, or not a tar file)");
    }

    private long parseSize(byte[] h, long at) throws IOException {
        if ((h[124] & 0x80) != 0) {   // GNU base-256 for sizes >= 8 GiB
            long v = h[124] & 0x7f;
            for (int i = 125; i < 136; i++) {
                if (v > Long.MAX_VALUE >> 8) throw error("header at byte " + at + " has a size of 2^63 bytes or more");
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        return parseOctal(h, 124, 12, at, "size");
    }

    private long parseOctal(byte[] h, int off, int len, long at, String field) throws IOException {
        long v = 0;
        int i = off, end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) i++;
        for (; i < end && h[i] != 0 && h[i] != ' '; i++) {
            if (h[i] < '0' || h[i] > '7')
                throw error("header at byte " + at + " has a non-octal " + field + " field");
            v = v * 8 + (h[i] - '0');
        }
        return v;
    }

    private static String headerName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
        String prefix = ustar && h[263] == '0' ? cString(h, 345, 155) : "";  // POSIX "ustar\0" + "00" only
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** What a pax extended header sets for the next entry: its path and its size, each null if not set. */
    private record Pax(String path, Long size) {
    }

    /**
     * The records "LENGTH KEY=VALUE\n" of the pax header at byte at (its body follows at at + 512);
     * LENGTH counts the whole record. Keys other than path and size are skipped.
     */
    private Pax parsePax(byte[] body, long at) throws IOException {
        String path = null;
        Long size = null;
        int pos = 0;
        while (pos < body.length) {
            long recordAt = at + BLOCK + pos;
            int space = pos;
            while (space < body.length && body[space] != ' ') space++;
            int len = paxRecordLength(body, pos, space, at, recordAt);
            String rec = new String(body, space + 1, pos + len - 1 - (space + 1), StandardCharsets.UTF_8);
            int eq = rec.indexOf('=');
            if (eq <= 0) throw paxError(at, recordAt, "has no KEY=VALUE");
            String key = rec.substring(0, eq), value = rec.substring(eq + 1);
            if (key.equals("path")) path = value;
            if (key.equals("size")) size = paxSize(value, at, recordAt);
            pos += len;
        }
        return new Pax(path, size);
    }

    /** The length of the record at pos, checked: digits, a space, and a '\n' as its last byte inside body. */
    private int paxRecordLength(byte[] body, int pos, int space, long at, long recordAt) throws IOException {
        if (space == body.length) throw paxError(at, recordAt, "has no space after its length");
        String digits = new String(body, pos, space - pos, StandardCharsets.US_ASCII);
        int len;
        try {
            len = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw paxError(at, recordAt, "has a malformed length '" + digits + "'");
        }
        if (len > body.length - pos)
            throw paxError(at, recordAt, "declares length " + len + " but only " + (body.length - pos) + " bytes are left");
        if (len <= space - pos + 1)
            throw paxError(at, recordAt, "declares length " + len + ", too short for its own length field and newline");
        if (body[pos + len - 1] != '\n') throw paxError(at, recordAt, "of length " + len + " does not end in a newline");
        return len;
    }

    private long paxSize(String value, long at, long recordAt) throws IOException {
        long size;
        try {
            size = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw paxError(at, recordAt, "has a malformed size '" + value + "'");
        }
        if (size < 0) throw paxError(at, recordAt, "has a negative size " + size);
        return size;
    }

    private DatasetException paxError(long at, long recordAt, String what) {
        return error("pax header at byte " + at + ": record at byte " + recordAt + " " + what);
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private DatasetException error(String what) {
        return new DatasetException(file, "tar archive " + archive + ": " + what);
    }
}
