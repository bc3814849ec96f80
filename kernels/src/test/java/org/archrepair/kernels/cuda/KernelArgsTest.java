package org.archrepair.kernels.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kernelParams as cuLaunchKernel reads it: one pointer per parameter, each to that parameter's bytes. */
class KernelArgsTest {

    @Test
    void eachPointerLeadsToItsValue() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs a = new KernelArgs(arena).reset().ptr(0x7f00_1234_5678L).i32(-7).f32(2.5f).ints(1, 2, 3)
                    .pointers(11L, 0L, 13L).i32(42);
            assertEquals(6, a.count());
            assertEquals(0x7f00_1234_5678L, a.param(0, 8).get(JAVA_LONG, 0));
            assertEquals(-7, a.param(1, 4).get(JAVA_INT, 0));
            assertEquals(2.5f, a.param(2, 4).get(JAVA_FLOAT, 0));
            assertArrayEquals(new int[]{1, 2, 3}, a.param(3, 12).toArray(JAVA_INT));
            assertArrayEquals(new long[]{11, 0, 13}, a.param(4, 24).toArray(JAVA_LONG));
            assertEquals(42, a.param(5, 4).get(JAVA_INT, 0));
            for (int i = 0; i < a.count(); i++)
                assertEquals(0, a.params().getAtIndex(ADDRESS, i).address() % 8, "slot " + i + " is 8-byte aligned");
            // slots do not overlap: the struct of 3 ints (12 bytes) is followed by the next slot 16 bytes on
            long s3 = a.params().getAtIndex(ADDRESS, 3).address(), s4 = a.params().getAtIndex(ADDRESS, 4).address();
            assertEquals(16, s4 - s3);
        }
    }

    @Test
    void resetStartsOver() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs a = new KernelArgs(arena);
            a.reset().i32(1).i32(2);
            a.reset().f32(3f);
            assertEquals(1, a.count());
            assertEquals(3f, a.param(0, 4).get(JAVA_FLOAT, 0));
        }
    }

    @Test
    void tooManyArgumentsIsAnError() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs a = new KernelArgs(arena).reset();
            for (int i = 0; i < KernelArgs.MAX_ARGS; i++) a.i32(i);
            var e = assertThrows(IllegalStateException.class, () -> a.i32(0));
            assertTrue(e.getMessage().contains("more than"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> new KernelArgs(arena).reset().ints(new int[600]));
        }
    }
}
