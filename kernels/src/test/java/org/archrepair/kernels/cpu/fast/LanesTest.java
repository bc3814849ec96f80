package org.archrepair.kernels.cpu.fast;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector width the fast kernels run at. The kernels pom's second surefire execution reruns the
 * fast-path tests under -XX:UseAVX=2 and sets {@code archrepair.expectedLanes=8}: this proves that
 * the rerun really exercises the 256-bit tiles (6 x 16) and not the AVX-512 ones (8 x 32).
 */
class LanesTest {

    @Test
    void widthIsTheExpectedOne() {
        String expected = System.getProperty("archrepair.expectedLanes", "");
        System.out.println("fast kernels: " + Sgemm.machine());
        if (!expected.isEmpty()) assertEquals(Integer.parseInt(expected), Lanes.L, "float lanes");
        assertTrue(Lanes.L >= 4, "at least 128-bit vectors");
        // a 64-row GEMM takes 8-row tiles only where 16-lane vectors exist; with 16 registers 6 rows,
        // because the tests run with jvm.options, whose -XX:-OptoRegScheduling lets them in (RowPanels.SIX)
        assertEquals(Lanes.L >= 16 ? 8 : 6, Sgemm.tileRows(64), "register tile rows");
    }
}
