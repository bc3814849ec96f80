package org.archrepair.repair.localize;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every measure against hand-computed values, the 0/0 cases included. */
class SuspiciousnessTest {
    @ParameterizedTest(name = "{0}: af={1} nf={2} ap={3} np={4} -> {5}")
    @CsvSource({
            // Tarantula: (af/(af+nf)) / (af/(af+nf) + ap/(ap+np))
            "TARANTULA, 3, 1, 2, 6, 0.75",         // 0.75 / (0.75 + 0.25)
            "TARANTULA, 1, 1, 1, 1, 0.5",
            "TARANTULA, 0, 4, 5, 5, 0",            // never active on failures
            "TARANTULA, 4, 0, 0, 9, 1",            // active on every failure and no pass
            "TARANTULA, 0, 4, 0, 9, 0",            // 0 / (0 + 0): undefined -> 0
            "TARANTULA, 0, 0, 3, 3, 0",            // no failures: 0/0 -> 0
            "TARANTULA, 2, 2, 0, 0, 0",            // no passes: x/0 in the pass rate -> NaN -> 0
            // Ochiai: af / sqrt((af+nf)(af+ap))
            "OCHIAI, 3, 1, 2, 6, 0.6708203932499369",   // 3 / sqrt(4 * 5)
            "OCHIAI, 0, 0, 0, 5, 0",               // 0/0 -> 0
            "OCHIAI, 0, 3, 2, 5, 0",
            // DStar (star 3): af^3 / (nf + ap)
            "DSTAR, 3, 1, 2, 6, 9",                // 27 / 3
            "DSTAR, 0, 0, 0, 7, 0",                // 0/0 -> 0
            "DSTAR, 2, 0, 0, 7, Infinity"})        // x/0 with x > 0 ranks first
    void handComputed(Suspiciousness m, long af, long nf, long ap, long np, double expected) {
        assertEquals(expected, m.score(new Spectrum(af, nf, ap, np)), 1e-12);
    }
}
