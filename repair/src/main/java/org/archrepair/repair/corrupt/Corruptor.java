package org.archrepair.repair.corrupt;

import org.archrepair.engine.Rng;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Progress;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Corrupts datasets reproducibly: image i of corruption c at severity s always draws from the
 * stream {@code new Rng(seed).fork("c/s/i")}, so any subset of corruptions, severities or images
 * (and any thread count) gives the same bytes as the full run. Work is spread over images.
 *
 * <p>What it is not: a file writer (see CorruptCommand) and it does not hold results between calls.
 */
public final class Corruptor {
    private static final int BLOCK = 64;
    private final long seed;
    private final FrostTextures frost;

    public Corruptor(long seed, FrostTextures frost) {
        this.seed = seed;
        this.frost = frost;
    }

    /** Image index of the dataset under one corruption and severity; x: (3, 32, 32) uint8. */
    public byte[] apply(Corruption c, int severity, int index, byte[] x) {
        return c.apply(x, severity, new Rng(seed).fork(c.id() + "/" + severity + "/" + index), frost);
    }

    /**
     * Every image of the set at each severity, severity-major: (k * N, 3, 32, 32) uint8, the block of
     * severities.get(j) at [j N, (j + 1) N). progress counts images.
     */
    public byte[] corrupt(ImageDataset set, Corruption c, List<Integer> severities, int threads, Progress progress) {
        if (set.channels() != Pixels.C || set.height() != Pixels.H || set.width() != Pixels.W)
            throw new IllegalArgumentException(set.name() + " has " + set.channels() + "x" + set.height() + "x"
                    + set.width() + " images; the CIFAR-10-C corruptions are defined for 3x32x32");
        int n = set.size(), per = set.imageBytes();
        byte[] out = new byte[Math.multiplyExact(severities.size() * n, per)];
        int blocksPerSeverity = (n + BLOCK - 1) / BLOCK;
        AtomicLong done = new AtomicLong();
        long total = (long) severities.size() * n;
        Runnable work = () -> IntStream.range(0, severities.size() * blocksPerSeverity).parallel().forEach(b -> {
            int j = b / blocksPerSeverity, first = (b % blocksPerSeverity) * BLOCK, last = Math.min(n, first + BLOCK);
            byte[] x = new byte[per];
            for (int i = first; i < last; i++) {
                set.copyImage(i, x, 0);
                System.arraycopy(apply(c, severities.get(j), i, x), 0, out, (j * n + i) * per, per);
            }
            progress.update(done.addAndGet(last - first), total);
        });
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while corrupting " + set.name(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return out;
    }
}
