package org.archrepair.engine.io;

/**
 * How many bytes one read of an untrusted file may hold in memory: a quarter of the JVM's maximum
 * heap, shared by everything that read allocates (storages, tensors, decompressed members). Readers
 * take from it before they allocate, so a file that declares or inflates to more than the heap
 * can hold is refused with a message instead of an OutOfMemoryError. A quarter leaves room for the
 * copies a reader makes (bytes, then floats) and for the program that asked for the file.
 *
 * <p>What it is not: a measurement of free memory (it is fixed when created), or thread-safe.
 */
public final class ReadBudget {
    /** The most bytes one Java array holds. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final long limit;
    private long used;

    public ReadBudget(long limit) {
        if (limit < 0) throw new IllegalArgumentException("negative budget " + limit);
        this.limit = limit;
    }

    /** A quarter of the maximum heap (-Xmx). */
    public static ReadBudget ofHeap() {
        return new ReadBudget(Runtime.getRuntime().maxMemory() / 4);
    }

    /** Take bytes from the budget if they fit (bytes >= 0); false, taking nothing, if they do not. */
    public boolean tryTake(long bytes) {
        if (bytes < 0 || bytes > limit - used) return false;
        used += bytes;
        return true;
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used;
    }

    /** The end of an error message: what the limit is and how to raise it for a genuine file. */
    public String explain() {
        return "more than one file may hold in memory here (" + mib(limit) + ", a quarter of the "
                + mib(Runtime.getRuntime().maxMemory()) + " heap; for a genuine file this large raise -Xmx, "
                + "e.g. ARCHREPAIR_JAVA_OPTS=-Xmx16g)";
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
