package org.archrepair.kernels.cpu.fast;

/**
 * Per-worker scratch arrays, kept between calls so the hot kernels do not allocate (and zero)
 * megabytes on every call. Each slot is an independent array that only grows; contents are
 * garbage on entry, so every user writes before it reads. Confined to one worker thread.
 *
 * <p>What this is not: a buffer pool shared between threads, or storage that outlives a kernel call
 * with meaning (except the per-part partials a caller combines right after a parallel call).
 */
public final class Scratch {

    /** Packed A panels of the blocked GEMM. */
    public static final int PACK_A = 0;
    /** Packed B panels of the blocked GEMM. */
    public static final int PACK_B = 1;
    /** One edge tile of the micro-kernel. */
    public static final int TILE = 2;
    /** Zero-padded copies of convolution inputs. */
    public static final int PADDED = 3;
    /** Columns of a convolution's data gradient before col2im. */
    public static final int COLUMNS = 4;
    /** Per-part partial results combined by the caller (e.g. a weight gradient, channel sums). */
    public static final int PARTIAL = 5;

    /** Integer slots: index tables of the convolution packers and direct kernels. */
    public static final int OFFSETS = 0, POSITIONS = 1, ROWS = 2, COLS = 3;

    private final float[][] floats = new float[6][];
    private final int[][] ints = new int[4][];

    /** An array of at least {@code length} floats for {@code slot}; contents undefined. */
    public float[] floats(int slot, int length) {
        float[] a = floats[slot];
        if (a == null || a.length < length) {
            a = new float[Math.max(length, a == null ? 0 : a.length + a.length / 4)];
            floats[slot] = a;
        }
        return a;
    }

    /** An int array of at least {@code length} for {@code slot}; contents undefined. */
    public int[] ints(int slot, int length) {
        int[] a = ints[slot];
        if (a == null || a.length < length) {
            a = new int[Math.max(length, a == null ? 0 : a.length + a.length / 4)];
            ints[slot] = a;
        }
        return a;
    }
}
