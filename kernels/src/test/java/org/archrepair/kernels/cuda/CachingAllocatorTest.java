package org.archrepair.kernels.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allocator's bookkeeping over a fake device memory that counts driver calls and can run out. */
class CachingAllocatorTest {

    /** Device memory with a capacity; addresses are distinct and never reused while live. */
    private static final class FakeMemory implements CachingAllocator.DeviceMemory {
        final long capacity;
        long used, next = 1 << 20;
        int allocations, frees;
        final Map<Long, Long> live = new HashMap<>();

        FakeMemory(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long allocate(long bytes) {
            if (used + bytes > capacity) return 0;
            used += bytes;
            allocations++;
            long p = next;
            next += bytes;
            live.put(p, bytes);
            return p;
        }

        @Override
        public void free(long ptr) {
            Long bytes = live.remove(ptr);
            assertTrue(bytes != null, "driver free of an unknown pointer");
            used -= bytes;
            frees++;
        }

        @Override
        public String describe() {
            return "fake";
        }
    }

    @Test
    void sizeClasses() {
        assertEquals(512, CachingAllocator.sizeClass(1));
        assertEquals(512, CachingAllocator.sizeClass(512));
        assertEquals(1024, CachingAllocator.sizeClass(513));
        assertEquals(1 << 20, CachingAllocator.sizeClass((1 << 20) - 1));
        assertEquals(1 << 20, CachingAllocator.sizeClass(1 << 20));
        assertEquals((1 << 20) + (1 << 17), CachingAllocator.sizeClass((1 << 20) + 1));     // eighths above 1 MiB
        assertEquals(2 << 20, CachingAllocator.sizeClass(2 << 20));
        long b = 128L * 64 * 32 * 32 * 4;                                                     // a ResNet-18 activation
        assertEquals(b, CachingAllocator.sizeClass(b));
        for (long n = 1; n < 1L << 34; n = n * 3 + 7) {
            long c = CachingAllocator.sizeClass(n);
            assertTrue(c >= n && (n <= 512 || c < 2 * n) && (n <= 1 << 20 || c <= n + n / 8 + 1), n + " -> " + c);
        }
        assertThrows(IllegalArgumentException.class, () -> CachingAllocator.sizeClass(0));
    }

    @Test
    void aRepeatedStepAllocatesOnlyInItsFirstIteration() {
        FakeMemory mem = new FakeMemory(1L << 40);
        CachingAllocator a = new CachingAllocator("cuda:0", mem, () -> { });
        long[] sizes = {4L * 128 * 64 * 32 * 32, 4L * 128 * 10, 4, 4 * 64, 4L * 64 * 64 * 9, 4L * 128 * 64 * 32 * 32};
        for (int step = 0; step < 5; step++) {
            List<CachingAllocator.Block> held = new ArrayList<>();
            for (long s : sizes) held.add(a.allocate(s, 7));
            held.forEach(a::free);
            assertEquals(sizes.length, mem.allocations, "driver allocations after step " + step);
        }
        CachingAllocator.Stats s = a.stats();
        assertEquals(0, s.inUseBytes());
        assertEquals(5L * sizes.length, s.requests());
        assertEquals(4L * sizes.length, s.cacheHits());
        assertEquals(s.peakReservedBytes(), s.cachedBytes());
    }

    @Test
    void blocksAreCachedPerStream() {
        FakeMemory mem = new FakeMemory(1L << 30);
        CachingAllocator a = new CachingAllocator("cuda:0", mem, () -> { });
        CachingAllocator.Block b = a.allocate(1000, 1);
        a.free(b);
        CachingAllocator.Block other = a.allocate(1000, 2);                  // another stream: a new block
        assertNotEquals(b.ptr(), other.ptr());
        assertEquals(b.ptr(), a.allocate(1000, 1).ptr());                   // its own stream: the cached one
        assertEquals(2, mem.allocations);
        assertThrows(IllegalStateException.class, () -> a.free(new CachingAllocator.Block(12345, 512, 1)));
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetriesOnce() {
        FakeMemory mem = new FakeMemory(10 << 20);
        int[] reclaims = {0};
        CachingAllocator a = new CachingAllocator("cuda:0", mem, () -> reclaims[0]++);
        CachingAllocator.Block small = a.allocate(6 << 20, 0);                // 6 MiB block
        a.free(small);                                                         // cached
        CachingAllocator.Block big = a.allocate(8 << 20, 0);                  // fits only once the cache is empty
        assertEquals(1, reclaims[0]);
        assertEquals(1, mem.frees);
        assertEquals(8 << 20, big.bytes());
        assertEquals(0, a.stats().cachedBytes());
        CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> a.allocate(4 << 20, 0));
        assertTrue(e.getMessage().contains("cannot allocate 4.0 MiB") && e.getMessage().contains("8.0 MiB is in use in 1")
                && e.getMessage().contains("fake"), e.getMessage());
        assertEquals(2, reclaims[0]);
    }

    @Test
    void closeFreesEverythingAndLaterFreesAreIgnored() {
        FakeMemory mem = new FakeMemory(1L << 30);
        CachingAllocator a = new CachingAllocator("cuda:0", mem, () -> { });
        CachingAllocator.Block live = a.allocate(5000, 0);
        a.free(a.allocate(100, 0));
        a.close();
        assertEquals(mem.allocations, mem.frees);
        assertTrue(mem.live.isEmpty());
        a.free(live);                                                          // a cleaner after close: no effect
        assertThrows(IllegalStateException.class, () -> a.allocate(10, 0));
    }
}
