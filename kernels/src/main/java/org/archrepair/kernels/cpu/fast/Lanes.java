package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one place that fixes the vector width of the fast kernels: the machine's preferred species
 * (512-bit on AVX-512 CPUs such as Zen 4/5, 256-bit with AVX2 or under {@code -XX:UseAVX=2},
 * 128-bit with SSE or NEON). Every tile width, panel width and loop step of the fast path derives
 * from {@link #L}.
 *
 * <p>The species are {@code static final} on purpose: C2 only turns Vector-API calls into vector
 * instructions when the species is a compile-time constant (a species passed as a parameter ran at
 * 6 GFLOP/s instead of 265), and constant {@code L} lets it fold the width-dependent branches.
 *
 * <p>Numerics: results are bitwise reproducible on one machine, but a float sum split over L lanes
 * depends on L, so a 256-bit and a 512-bit machine may differ in the last bits of reductions and
 * GEMMs (both stay within the reference tolerance). Elementwise results do not depend on L.
 *
 * <p>What this is not: a runtime switch. The width is the JVM's choice at start-up.
 */
final class Lanes {
    private Lanes() {
    }

    /** Floats: the preferred species. */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Float lanes per vector: 16 with AVX-512, 8 with AVX2, 4 with SSE/NEON. */
    static final int L = F.length();
    /** Ints with as many lanes as {@link #F} (masks convert between the two). */
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Doubles of the same bit size: L / 2 lanes, so one float vector widens into two of these. */
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Double lanes per vector of {@link #D}: L / 2, the doubles that one half of a float vector widens into. */
    static final int HALF = D.length();

    /**
     * True when the CPU has the 32 vector registers of AVX-512 (or more lanes than AVX2 anyway):
     * register tiles of 16 accumulators fit without spills. With 16 registers (AVX2) C2's default
     * scheduler keeps only tiles of at most 8 accumulators spill-free (measured under -XX:UseAVX=2:
     * a 6-row tile of 12 accumulators spilled 7 of them and ran at 50 GFLOP/s instead of 117); with
     * -XX:-OptoRegScheduling the 6-row tile fits ({@link RowPanels#SIX}).
     */
    static final boolean WIDE = L >= 16;

    /** x rounded up to a multiple of unit (x >= 0, unit > 0): vector, panel and tile widths. */
    static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }
}
