package org.archrepair.kernels.cpu.fast;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fixed worker pool of one fast CPU backend: {@code threads - 1} daemon threads plus the
 * calling thread, which always runs part 0. A call splits its work into at most {@code threads}
 * parts; part i always runs on worker i with worker i's {@link Scratch}. How work is split depends
 * only on sizes and the thread count (the static helpers below), never on timing, so a kernel whose
 * parts write disjoint outputs, or write per-part partials that the caller combines in part order,
 * is bitwise reproducible for a given thread count.
 *
 * <p>What this is not: a general executor. There is no work stealing and no nesting: a part must
 * not start another parallel call (kernels that run inside a part call the serial code with their
 * part's scratch instead); nesting fails fast rather than deadlocking.
 *
 * <p>Hand-off: the caller publishes the job with a volatile generation counter and unparks the
 * workers it needs; a worker spins briefly (a kernel call usually follows another within
 * microseconds) and then parks. The machine is small and shared, so spins are short.
 */
public final class Parallel implements AutoCloseable {

    /** One part of a parallel call: runs on worker {@code part} with that worker's scratch. */
    @FunctionalInterface
    public interface Part {
        void run(int part, Scratch scratch);
    }

    /** A contiguous index range [lo, hi) of a {@link #forRange} call. */
    @FunctionalInterface
    public interface Range {
        void run(int lo, int hi);
    }

    /** A contiguous index range [lo, hi) with the scratch of the worker that runs it. */
    @FunctionalInterface
    public interface ScratchRange {
        void run(int lo, int hi, Scratch scratch);
    }

    private static final int SPIN = 1 << 12;

    private final int threads;
    private final Scratch[] scratch;
    private final Thread[] workers;           // workers[0] is unused: part 0 runs on the caller
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Job current = new Job(0, 0, null, null);
    private volatile boolean closed;
    private Throwable failure;                // first failure of the current call, guarded by this

    /** One call, published whole through the volatile {@code current} so a worker never mixes two calls. */
    private record Job(int generation, int parts, Part body, Thread caller) {
    }

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.scratch = new Scratch[threads];
        for (int t = 0; t < threads; t++) scratch[t] = new Scratch();
        this.workers = new Thread[threads];
        for (int t = 1; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> workLoop(index), "archrepair-cpu-" + t);
            worker.setDaemon(true);
            workers[t] = worker;
            worker.start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Scratch of worker 0 (the calling thread), e.g. for data packed before a parallel call and
     * shared by its parts. Such data outlives one call, so it relies on the owner running one
     * kernel at a time on this pool (CpuBackend leases a whole pool to each call).
     */
    public Scratch callerScratch() {
        return scratch[0];
    }

    /** Scratch of worker {@code part}; read after a call returns (the call's end orders the writes). */
    public Scratch scratch(int part) {
        return scratch[part];
    }

    /** Runs {@code body} for parts 0..parts-1 (at most {@link #threads()}), part i on worker i; returns when all are done. */
    public void run(int parts, Part body) {
        if (parts < 1 || parts > threads)
            throw new IllegalArgumentException("parts must be in [1, " + threads + "], got " + parts);
        if (closed) throw new IllegalStateException("the CPU backend is closed");
        if (isWorker() || lock.isHeldByCurrentThread())
            throw new IllegalStateException("nested parallel call: a part must call serial kernels");
        lock.lock();
        try {
            if (parts == 1) {
                body.run(0, scratch[0]);
                return;
            }
            synchronized (this) {
                failure = null;
            }
            pending.set(parts - 1);
            current = new Job(current.generation() + 1, parts, body, Thread.currentThread());
            for (int t = 1; t < parts; t++) LockSupport.unpark(workers[t]);
            try {
                body.run(0, scratch[0]);
            } catch (Throwable e) {
                record(e);
            }
            awaitWorkers();
            Job done = current;               // drop the body so its arrays are not kept alive
            current = new Job(done.generation(), 0, null, null);
            Throwable f;
            synchronized (this) {
                f = failure;
            }
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error err) throw err;
            if (f != null) throw new IllegalStateException(f);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Splits [0, total) into contiguous ranges of at least {@code grain} indices, at most one per
     * worker, and runs them in parallel. The split depends only on total, grain and the thread count.
     */
    public void forRange(int total, int grain, Range body) {
        if (total <= 0) return;
        int parts = partsFor(total, grain);
        if (parts == 1) {
            body.run(0, total);
            return;
        }
        run(parts, (part, s) -> body.run(split(total, parts, part), split(total, parts, part + 1)));
    }

    /** {@link #forRange(int, int, Range)} for bodies that need their worker's scratch. */
    public void forRange(int total, int grain, ScratchRange body) {
        if (total <= 0) return;
        int parts = partsFor(total, grain);
        run(parts, (part, s) -> body.run(split(total, parts, part), split(total, parts, part + 1), s));
    }

    /** How many parts {@link #forRange} uses: one per {@code grain} indices, at most one per thread. */
    public int partsFor(long total, long grain) {
        return (int) Math.max(1, Math.min(threads, total / Math.max(grain, 1)));
    }

    /** Start of part {@code part} when [0, total) is cut into {@code parts} near-equal contiguous ranges. */
    public static int split(int total, int parts, int part) {
        return (int) ((long) total * part / parts);
    }

    /** Like {@link #split} but every boundary except total is a multiple of {@code align}. */
    public static int splitAligned(int total, int parts, int part, int align) {
        if (part >= parts) return total;
        int units = (total + align - 1) / align;
        return Math.min(total, split(units, parts, part) * align);
    }

    private boolean isWorker() {
        Thread me = Thread.currentThread();
        for (int t = 1; t < threads; t++) if (workers[t] == me) return true;
        return false;
    }

    private synchronized void record(Throwable e) {
        if (failure == null) failure = e;
        else if (failure != e) failure.addSuppressed(e);
    }

    private void awaitWorkers() {
        for (int spin = 0; pending.get() != 0; spin++) {
            if (spin < SPIN) Thread.onSpinWait();
            else LockSupport.park(this);
        }
    }

    private void workLoop(int index) {
        int seen = 0;
        while (true) {
            Job job;
            for (int spin = 0; (job = current).generation() == seen && !closed; spin++) {
                if (spin < SPIN) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = job.generation();
            if (index >= job.parts()) continue;     // not needed by this call
            try {
                job.body().run(index, scratch[index]);
            } catch (Throwable e) {
                record(e);
            }
            if (pending.decrementAndGet() == 0) LockSupport.unpark(job.caller());
        }
    }

    /** Stops the workers (they are daemons, so a forgotten close never blocks JVM exit). */
    @Override
    public void close() {
        closed = true;
        for (int t = 1; t < threads; t++) LockSupport.unpark(workers[t]);
    }
}
