package org.archrepair.kernels.cpu.fast;

/**
 * How the m rows of a GEMM's left operand are cut into the panels of the register tiles:
 * {@code small} panels of {@code smallRows} rows first, then {@code big} panels of {@code bigRows}
 * rows; only the last panel may hold padding rows (zeros in the packed A, never stored to C).
 *
 * <p>With 32 vector registers (AVX-512) every panel has one height, 8 or 4 ({@link Sgemm#tileRows}).
 * With 16 (AVX2) the 6-row tile runs faster than the 4-row one (in L1 on one Zen 4 core, thread CPU
 * time under -XX:-OptoRegScheduling: 89 vs 83.5 GFLOP/s; 5 rows 85, 3 x 3 vectors 83, 4 x 3 vectors
 * spills at 36), but the output channels of CNN layers (16, 32, 64) are no multiples of 6: a mix of
 * at most two 4-row panels and 6-row panels covers 16 = 4 + 6 + 6, 32 = 4 + 4 + 4 x 6 and
 * 64 = 4 + 10 x 6 with no padding, where 6-row panels alone would pad 16 to 18 and 32 to 36.
 *
 * <p>Which tile computes a C element does not change its value: every tile runs the same
 * depth loop, so the plan is free to change without changing a bit.
 *
 * <p>What this is not: the packing itself ({@link Sgemm#packA}) or the drivers that walk the panels.
 */
record RowPanels(int smallRows, int small, int bigRows, int big) {

    /**
     * True where the 16-register plan uses 6-row tiles ({@link Gemm6xNR}, {@link ConvGemm6xNR}):
     * vectors narrower than AVX-512 and C2's register scheduler off ({@code -XX:-OptoRegScheduling},
     * jvm.options). A JVM started without that flag (a user's own command line) spills the 6-row
     * tile (about 41 instead of 90 GFLOP/s, TOOLING.md), so it keeps the spill-free 4-row tiles;
     * {@code -XX:+OptoRegScheduling} is thus also the switch that measures one against the other.
     */
    static final boolean SIX = !Lanes.WIDE && !vmFlag("OptoRegScheduling", true);

    /** The plan for m rows (m >= 1) on this machine's vector registers. */
    static RowPanels of(int m) {
        if (Lanes.WIDE) {
            int mr = Sgemm.tileRows(m);
            return mr == 4 ? uniform(m, 4) : uniform(m, 8);
        }
        if (!SIX || m <= SMALL_ONLY) return uniform(m, 4);
        return mixed(m, 4, 6);
    }

    /** Panels of mr rows only (mr is 4 or 8: the heights of the uniform drivers). */
    static RowPanels uniform(int m, int mr) {
        int panels = (m + mr - 1) / mr;
        return mr == 4 ? new RowPanels(4, panels, 6, 0) : new RowPanels(4, 0, mr, panels);
    }

    /** A boolean HotSpot flag of this JVM, or {@code absent} where the VM has no such flag. */
    private static boolean vmFlag(String name, boolean absent) {
        try {
            return Boolean.parseBoolean(java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return absent;
        }
    }

    /**
     * Up to this many rows the AVX2 plan is 4-row panels only: the convolutions then read B in
     * place ({@link ConvGemm4xNR}) instead of copying micro-panels for the 6-row kernels
     * ({@link ConvGemm6xNR}), and with 16 rows the copy cost more than the 6-row tiles gain (one
     * thread, batch 128, 16 -> 16 channels at 32 x 32: forward 9.4-9.7 ms in place vs 10.2-10.5
     * copied, weight gradient 10.7 vs 12.2; from 32 rows on the copy wins: 32 -> 32 at 16 x 16 weight
     * gradient 12.1 vs 10.9, 64 -> 64 at 8 x 8 11.6 vs 9.0).
     */
    static final int SMALL_ONLY = 16;

    /**
     * The fewest padding rows with fewer than bigRows small panels (more never help), then the most
     * big panels: the small tile is the slower one.
     */
    static RowPanels mixed(int m, int smallRows, int bigRows) {
        RowPanels best = null;
        for (int small = 0; small * smallRows < m + smallRows && small < bigRows; small++) {
            int rest = Math.max(0, m - small * smallRows), big = (rest + bigRows - 1) / bigRows;
            RowPanels p = new RowPanels(smallRows, small, bigRows, big);
            if (best == null || p.rows() < best.rows()) best = p;
        }
        return best;
    }

    /** Rows including padding: the packed A holds this many rows per depth step. */
    int rows() {
        return small * smallRows + big * bigRows;
    }

    int panels() {
        return small + big;
    }

    /** First row of the small panels' end: rows below it are in small panels. */
    int smallEnd() {
        return small * smallRows;
    }

    /** First row of panel i (i <= panels(): panels() gives {@link #rows()}). */
    int start(int panel) {
        return panel <= small ? panel * smallRows : smallEnd() + (panel - small) * bigRows;
    }

    /** Height of the panel that starts at row i. */
    int heightAt(int row) {
        return row < smallEnd() ? smallRows : bigRows;
    }

    /**
     * End of the row block that starts at row i (a panel start): blocks of about mc rows of big
     * panels, the small panels with the first block, so every block boundary is a panel start.
     */
    int blockEnd(int row, int mc) {
        int bigMc = Math.max(bigRows, mc / bigRows * bigRows);
        int base = row < smallEnd() ? smallEnd() : row;
        return Math.min(rows(), base + bigMc);
    }
}
