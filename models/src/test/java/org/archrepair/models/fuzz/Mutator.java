package org.archrepair.models.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of a seed file: bit flips, bytes set to boundary values, 2-, 4- and 8-byte
 * integers overwritten with boundary values (huge declared sizes, negative lengths, 2^31, 2^40,
 * 2^63 - 1) in either byte order, truncations, inserted, deleted and duplicated runs, splices with
 * another seed, and digit runs replaced by huge, negative or non-ASCII numbers (for the text inside
 * JSON headers, pax records and tar octal fields). The same random source gives the same bytes.
 */
final class Mutator {
    private static final long[] BOUNDARIES = {0, 1, 2, 7, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
            0x7fffffffL, 0x80000000L, 0xffffffffL, 0x100000000L, 1L << 40, Integer.MAX_VALUE - 8, Long.MAX_VALUE,
            Long.MIN_VALUE, -1, -2};
    private static final String[] NUMBERS = {"0", "-1", "-2", "99999999999999999999", "2147483647", "2147483648",
            "4294967296", "9223372036854775807", "9223372036854775808", "1e400", "NaN", "\u0661\u0662", "\uff11", "01",
            "1.5", "-0"};
    /** Mutated files stay below this size (inserted runs cannot grow a file without end). */
    private static final int MAX_BYTES = 8 << 20;

    private Mutator() {
    }

    /** 1 to 4 mutations of seed (a copy); others are splice partners. */
    static byte[] mutate(byte[] seed, List<byte[]> others, SplittableRandom r) {
        byte[] b = seed.clone();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) b = once(b, others, r);
        return b;
    }

    private static byte[] once(byte[] b, List<byte[]> others, SplittableRandom r) {
        if (b.length == 0) return new byte[]{(byte) r.nextInt(256)};
        int at = r.nextInt(b.length);
        return switch (r.nextInt(10)) {
            case 0 -> set(b, at, (byte) (b[at] ^ (1 << r.nextInt(8))));
            case 1 -> set(b, at, (byte) r.nextInt(256));
            case 2 -> set(b, at, (byte) BOUNDARIES[r.nextInt(BOUNDARIES.length)]);
            case 3 -> integer(b, at, r);
            case 4 -> Arrays.copyOf(b, r.nextInt(b.length));
            case 5 -> insert(b, at, randomBytes(1 + r.nextInt(16), r));
            case 6 -> delete(b, at, 1 + r.nextInt(Math.min(64, b.length - at)));
            case 7 -> insert(b, r.nextInt(b.length + 1),
                    Arrays.copyOfRange(b, at, at + 1 + r.nextInt(Math.min(512, b.length - at))));
            case 8 -> splice(b, others.get(r.nextInt(others.size())), r);
            default -> digits(b, at, r);
        };
    }

    private static byte[] set(byte[] b, int at, byte v) {
        b[at] = v;
        return b;
    }

    private static byte[] integer(byte[] b, int at, SplittableRandom r) {
        int width = 2 << r.nextInt(3);   // 2, 4, 8
        if (at + width > b.length) return b;
        ByteBuffer buf = ByteBuffer.wrap(b).order(r.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        long v = BOUNDARIES[r.nextInt(BOUNDARIES.length)];
        switch (width) {
            case 2 -> buf.putShort(at, (short) v);
            case 4 -> buf.putInt(at, (int) v);
            default -> buf.putLong(at, v);
        }
        return b;
    }

    private static byte[] randomBytes(int n, SplittableRandom r) {
        byte[] x = new byte[n];
        for (int i = 0; i < n; i++) x[i] = (byte) r.nextInt(256);
        return x;
    }

    private static byte[] insert(byte[] b, int at, byte[] run) {
        if (b.length + run.length > MAX_BYTES) return b;
        byte[] out = new byte[b.length + run.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(run, 0, out, at, run.length);
        System.arraycopy(b, at, out, at + run.length, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at, int n) {
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }

    private static byte[] splice(byte[] b, byte[] other, SplittableRandom r) {
        if (other.length == 0) return b;
        int head = r.nextInt(b.length + 1), tail = r.nextInt(other.length);
        if (head + other.length - tail > MAX_BYTES) return b;
        byte[] out = Arrays.copyOf(b, head + other.length - tail);
        System.arraycopy(other, tail, out, head, other.length - tail);
        return out;
    }

    /** Replace the run of ASCII digits at or after at (if any within 256 bytes) by another number. */
    private static byte[] digits(byte[] b, int at, SplittableRandom r) {
        int start = at;
        while (start < b.length && start < at + 256 && (b[start] < '0' || b[start] > '9')) start++;
        if (start >= b.length || b[start] < '0' || b[start] > '9') return b;
        int end = start;
        while (end < b.length && b[end] >= '0' && b[end] <= '9') end++;
        byte[] number = NUMBERS[r.nextInt(NUMBERS.length)].getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return insert(delete(b, start, end - start), start, number);
    }
}
