package org.archrepair.kernels.cpu.fast;

import static org.archrepair.kernels.cpu.fast.Panels.NR;

/**
 * Multithreaded packed SGEMM with the exact contract of {@code Backend.gemm} (row-major, all four
 * transpose combinations, offsets, leading dimensions, alpha, beta with beta == 0 ignoring C), and
 * the serial entry point the convolutions call from inside their own parallel parts.
 *
 * <p>Threads: the output is cut into tile-aligned column ranges (or row ranges when C is tall and
 * narrow), one per worker, each with its own packing buffers. Every C element is computed by one
 * worker with depth slices that depend only on k, so the result is bitwise the same for any thread
 * count. Alpha is folded into the packing of A; a beta other than 0 or 1 scales C first (that is
 * exactly the reference's {@code beta * C} term, added last).
 *
 * <p>What this is not: a batched or strided-batched GEMM, or a place for convolution logic.
 */
public final class Sgemm {
    private Sgemm() {
    }

    /** Deepest depth slice; C is read and written once per slice, so deep slices pay on skinny shapes. */
    static final int KC = Integer.getInteger("archrepair.gemm.kc", 512);
    /** Rows of A packed per block (times the tile height), sized for L2. */
    static final int MC_PANELS = Integer.getInteger("archrepair.gemm.mcPanels", 40);
    /** Columns of B packed per block. */
    static final int NC = Integer.getInteger("archrepair.gemm.nc", 2048);
    /** Below this many multiply-adds a call runs on one thread: the hand-off would cost more. */
    private static final long SERIAL_MACS = 1 << 16;

    /** Number of depth slices for depth k: as few as possible of at most KC each. */
    static int slices(int k) {
        return (k + KC - 1) / KC;
    }

    /** Depth of slice {@code slice} when k is cut into {@code slices} near-equal slices (the first ones are the deep ones). */
    static int sliceDepth(int k, int slices, int slice) {
        return k / slices + (slice < k % slices ? 1 : 0);
    }

    static int mc(int mr) {
        return MC_PANELS * mr;
    }

    /**
     * C = A B or C += A B on the calling thread, with the tile shape that suits m.
     * A: (m, k), B: (k, n) through their packers; C: c[cOff + i*ldc + j]. B is packed
     * {@code ncBlock} columns (a multiple of 16) at a time. Scratch is the caller's.
     */
    public static void multiply(Panels.PackA a, Panels.PackB b, int m, int n, int k, float[] c, int cOff, int ldc,
                                boolean accumulate, int ncBlock, Scratch scratch) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        Gemm6x16.multiply(a, b, m, n, k, c, cOff, ldc, accumulate, ncBlock, scratch);
    }

    /** Backend.gemm: C = alpha op(A) op(B) + beta C. a: (m|k, lda), b: (k|n, ldb), c: (m, ldc), at the offsets. */
    public static void gemm(Parallel par, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) return;
        long macs = (long) m * n * Math.max(k, 1);
        int mTiles = (m + Gemm6x16.MR - 1) / Gemm6x16.MR, nTiles = (n + NR - 1) / NR;
        boolean splitN = nTiles >= mTiles || nTiles >= 4 * par.threads();
        int parts = macs < SERIAL_MACS ? 1 : Math.min(par.threads(), splitN ? nTiles : mTiles);
        par.run(parts, (part, s) -> {
            int i0 = 0, i1 = m, j0 = 0, j1 = n;
            if (splitN) {
                j0 = Parallel.splitAligned(n, parts, part, NR);
                j1 = Parallel.splitAligned(n, parts, part + 1, NR);
            } else {
                i0 = Parallel.splitAligned(m, parts, part, Gemm6x16.MR);
                i1 = Parallel.splitAligned(m, parts, part + 1, Gemm6x16.MR);
            }
            if (i0 >= i1 || j0 >= j1) return;
            int cBase = cOff + i0 * ldc + j0;
            if (beta != 0f && beta != 1f) scale(c, cBase, ldc, i1 - i0, j1 - j0, beta);
            if (alpha == 0f) {
                if (beta == 0f) scale(c, cBase, ldc, i1 - i0, j1 - j0, 0f);
                return;
            }
            Panels.PackA pa = Panels.matrixA(a, aOff + (transA ? i0 : i0 * lda), lda, transA, alpha);
            Panels.PackB pb = Panels.matrixB(b, bOff + (transB ? j0 * ldb : j0), ldb, transB);
            multiply(pa, pb, i1 - i0, j1 - j0, k, c, cBase, ldc, beta != 0f, NC, s);
        });
    }

    /** C block = beta * C block; beta == 0 writes zeros (so NaN in C is ignored, as BLAS does). */
    private static void scale(float[] c, int cOff, int ldc, int rows, int cols, float beta) {
        for (int i = 0; i < rows; i++) {
            int r = cOff + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, r, r + cols, 0f);
            else for (int j = 0; j < cols; j++) c[r + j] *= beta;
        }
    }
}
