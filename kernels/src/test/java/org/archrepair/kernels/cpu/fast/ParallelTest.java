package org.archrepair.kernels.cpu.fast;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker pool: fixed partitions, part i on worker i, failures surfaced, no nesting. */
class ParallelTest {

    @Test
    void splitsAreContiguousAndCoverTheRange() {
        for (int total : new int[]{0, 1, 7, 16, 1000, 1001})
            for (int parts = 1; parts <= 5; parts++) {
                assertEquals(0, Parallel.split(total, parts, 0));
                assertEquals(total, Parallel.split(total, parts, parts));
                for (int p = 0; p < parts; p++) assertTrue(Parallel.split(total, parts, p) <= Parallel.split(total, parts, p + 1));
                assertEquals(0, Parallel.splitAligned(total, parts, 0, 16));
                assertEquals(total, Parallel.splitAligned(total, parts, parts, 16));
                for (int p = 1; p < parts; p++) {
                    int b = Parallel.splitAligned(total, parts, p, 16);
                    assertTrue(b % 16 == 0 || b == total, "boundary " + b + " of " + total);
                    assertTrue(b >= Parallel.splitAligned(total, parts, p - 1, 16));
                }
            }
    }

    @Test
    void partIRunsOnWorkerIWithItsScratch() {
        try (Parallel par = new Parallel(3)) {
            for (int call = 0; call < 200; call++) {
                ConcurrentHashMap<Integer, Thread> threads = new ConcurrentHashMap<>();
                ConcurrentHashMap<Integer, Scratch> scratch = new ConcurrentHashMap<>();
                int parts = 1 + call % 3;
                par.run(parts, (part, s) -> {
                    threads.put(part, Thread.currentThread());
                    scratch.put(part, s);
                });
                assertEquals(parts, threads.size());
                assertEquals(Thread.currentThread(), threads.get(0), "part 0 runs on the caller");
                for (int p = 0; p < parts; p++) assertEquals(par.scratch(p), scratch.get(p));
                assertEquals(parts, threads.values().stream().distinct().count());
            }
        }
    }

    @Test
    void forRangeCoversEveryIndexOnce() {
        try (Parallel par = new Parallel(2)) {
            int[] hits = new int[100_000];
            par.forRange(hits.length, 1000, (lo, hi) -> {
                for (int i = lo; i < hi; i++) hits[i]++;
            });
            for (int h : hits) assertEquals(1, h);
            AtomicInteger calls = new AtomicInteger();
            par.forRange(10, 1000, (lo, hi) -> calls.incrementAndGet());   // below the grain: one part
            assertEquals(1, calls.get());
        }
    }

    @Test
    void aFailingPartFailsTheCallAndThePoolSurvives() {
        try (Parallel par = new Parallel(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> par.run(2, (part, s) -> {
                if (part == 1) throw new IllegalStateException("boom in part 1");
            }));
            assertEquals("boom in part 1", e.getMessage());
            AtomicInteger done = new AtomicInteger();
            par.run(2, (part, s) -> done.incrementAndGet());
            assertEquals(2, done.get());
        }
    }

    @Test
    void nestedCallsFailInsteadOfDeadlocking() {
        try (Parallel par = new Parallel(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> par.run(2, (part, s) -> par.run(2, (p, t) -> { })));
            assertTrue(e.getMessage().contains("nested"));
        }
    }

    @Test
    void closedPoolRefusesWork() {
        Parallel par = new Parallel(2);
        par.close();
        assertThrows(IllegalStateException.class, () -> par.run(1, (part, s) -> { }));
    }
}
