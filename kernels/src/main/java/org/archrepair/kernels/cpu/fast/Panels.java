package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;

/**
 * The packed-panel contract between the blocked GEMM drivers and their operands, and the packers
 * of plain row-major matrices (the convolutions bring their own, see {@link Im2colT}).
 *
 * <p>A is (m x k) and is packed in {@code mr}-row panels: a block of rows [i0, i0+mc) and depth
 * [p0, p0+kc) lands in {@code dst[dstOff + (ip * kc + kk) * mr + ii] = A(i0 + ip*mr + ii, p0 + kk)},
 * rows past the block zero. The drivers take A packed whole ({@link Sgemm#packA}): slice after
 * depth slice, each slice all row panels, so any row block of a slice is one contiguous run. B is (k x n) and is packed in {@link #NR}-column panels:
 * {@code dst[(jp * kc + kk) * NR + jj] = B(p0 + kk, j0 + jp*NR + jj)}, columns past the block zero.
 * The zero padding lets edge tiles run the full micro-kernel.
 *
 * <p>What this is not: a matrix class. Packers only know how to read their source.
 */
public final class Panels {
    private Panels() {
    }

    /** Width of every B panel: two vectors ({@link Lanes#L} floats each), the N side of all register tiles. */
    public static final int NR = 2 * L;

    /** Left operand of a blocked GEMM. */
    @FunctionalInterface
    public interface PackA {
        void pack(int i0, int mc, int p0, int kc, int mr, float[] dst, int dstOff);
    }

    /** Right operand of a blocked GEMM. */
    @FunctionalInterface
    public interface PackB {
        void pack(int p0, int kc, int j0, int nc, float[] dst);
    }

    /** op(A) scaled by alpha (folding alpha into the packing costs nothing in the micro-kernel). a: (m, lda) or, transposed, (k, lda). */
    public static PackA matrixA(float[] a, int off, int lda, boolean trans, float alpha) {
        return trans ? (i0, mc, p0, kc, mr, dst, d) -> packATransposed(a, off, lda, alpha, i0, mc, p0, kc, mr, dst, d)
                : (i0, mc, p0, kc, mr, dst, d) -> packARows(a, off, lda, alpha, i0, mc, p0, kc, mr, dst, d);
    }

    /**
     * The mr x nr corner of an edge tile computed into tile (rows of NR floats) written to
     * c[ci + i*ldc + j]: C = acc ? C + tile : tile. Lets the drivers run the full micro-kernel on
     * partial tiles.
     */
    static void storeTile(float[] tile, float[] c, int ci, int ldc, int mr, int nr, boolean acc) {
        for (int i = 0; i < mr; i++)
            for (int j = 0; j < nr; j++)
                c[ci + i * ldc + j] = acc ? c[ci + i * ldc + j] + tile[i * NR + j] : tile[i * NR + j];
    }

    /**
     * {@link #storeTile} with vector adds for whole rows of a full-width tile: the accumulating path
     * of the drivers whose kernels only store ({@link Gemm6xNR}). C + tile, the same sum as the
     * kernels' own epilogue, so the same bits.
     */
    static void addTile(float[] tile, float[] c, int ci, int ldc, int mr, int nr, boolean acc) {
        if (!acc || nr < NR) {
            storeTile(tile, c, ci, ldc, mr, nr, acc);
            return;
        }
        for (int i = 0, r = ci, t = 0; i < mr; i++, r += ldc, t += NR) {
            FloatVector.fromArray(F, c, r).add(FloatVector.fromArray(F, tile, t)).intoArray(c, r);
            FloatVector.fromArray(F, c, r + L).add(FloatVector.fromArray(F, tile, t + L)).intoArray(c, r + L);
        }
    }

    /** op(B). b: (k, ldb) or, transposed, (n, ldb). */
    public static PackB matrixB(float[] b, int off, int ldb, boolean trans) {
        return trans ? (p0, kc, j0, nc, dst) -> packBTransposed(b, off, ldb, p0, kc, j0, nc, dst)
                : (p0, kc, j0, nc, dst) -> packBRows(b, off, ldb, p0, kc, j0, nc, dst);
    }

    /** A(i, p) = a[off + i*lda + p]: each panel row is a contiguous source row, written with stride mr. */
    static void packARows(float[] a, int off, int lda, float alpha, int i0, int mc, int p0, int kc, int mr,
                          float[] dst, int dstOff) {
        for (int ip = 0; ip * mr < mc; ip++) {
            int rows = Math.min(mr, mc - ip * mr), base = dstOff + ip * kc * mr;
            for (int ii = 0; ii < rows; ii++) {
                int src = off + (i0 + ip * mr + ii) * lda + p0;
                for (int kk = 0; kk < kc; kk++) dst[base + kk * mr + ii] = alpha * a[src + kk];
            }
            for (int ii = rows; ii < mr; ii++)
                for (int kk = 0; kk < kc; kk++) dst[base + kk * mr + ii] = 0f;
        }
    }

    /** A(i, p) = a[off + p*lda + i]: each depth step is a contiguous run of mr source values. */
    static void packATransposed(float[] a, int off, int lda, float alpha, int i0, int mc, int p0, int kc, int mr,
                                float[] dst, int dstOff) {
        for (int ip = 0; ip * mr < mc; ip++) {
            int rows = Math.min(mr, mc - ip * mr), base = dstOff + ip * kc * mr;
            for (int kk = 0; kk < kc; kk++) {
                int src = off + (p0 + kk) * lda + i0 + ip * mr, d = base + kk * mr;
                for (int ii = 0; ii < rows; ii++) dst[d + ii] = alpha * a[src + ii];
                for (int ii = rows; ii < mr; ii++) dst[d + ii] = 0f;
            }
        }
    }

    /** B(p, j) = b[off + p*ldb + j]: packed source row by source row, full panels with two vector copies. */
    static void packBRows(float[] b, int off, int ldb, int p0, int kc, int j0, int nc, float[] dst) {
        int full = nc / NR, tail = nc - full * NR;
        for (int kk = 0; kk < kc; kk++) {
            int src = off + (p0 + kk) * ldb + j0, d = kk * NR;
            for (int jp = 0; jp < full; jp++, src += NR, d += kc * NR) {
                FloatVector.fromArray(F, b, src).intoArray(dst, d);
                FloatVector.fromArray(F, b, src + L).intoArray(dst, d + L);
            }
            if (tail > 0) {
                System.arraycopy(b, src, dst, d, tail);
                Arrays.fill(dst, d + tail, d + NR, 0f);
            }
        }
    }

    /** B(p, j) = b[off + j*ldb + p]: each source row fills one panel column, written with stride NR. */
    static void packBTransposed(float[] b, int off, int ldb, int p0, int kc, int j0, int nc, float[] dst) {
        for (int jp = 0; jp * NR < nc; jp++) {
            int cols = Math.min(NR, nc - jp * NR), base = jp * kc * NR;
            for (int jj = 0; jj < cols; jj++) {
                int src = off + (j0 + jp * NR + jj) * ldb + p0;
                for (int kk = 0; kk < kc; kk++) dst[base + kk * NR + jj] = b[src + kk];
            }
            for (int jj = cols; jj < NR; jj++)
                for (int kk = 0; kk < kc; kk++) dst[base + kk * NR + jj] = 0f;
        }
    }
}
