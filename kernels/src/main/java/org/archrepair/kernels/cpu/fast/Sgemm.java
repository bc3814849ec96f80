package org.archrepair.kernels.cpu.fast;

import static org.archrepair.kernels.cpu.fast.Panels.NR;

/**
 * Multithreaded packed SGEMM with the exact contract of {@code Backend.gemm} (row-major, all four
 * transpose combinations, offsets, leading dimensions, alpha, beta with beta == 0 ignoring C), and
 * the serial entry point the convolutions call from inside their own parallel parts.
 *
 * <p>Threads: the output is cut into tile-aligned column ranges, one per worker, sharing one
 * packed A (packed by all workers) and packing their own B panels; when C is tall and narrow, into
 * row ranges, each worker packing its own rows of A. Every C element is computed by one worker
 * with depth slices that depend only on k, so the result is bitwise the same for any thread count
 * (and for either tile height). Alpha is folded into the packing of A; a beta other than 0 or 1
 * scales C first (that is exactly the reference's {@code beta * C} term, added last).
 *
 * <p>What this is not: a batched or strided-batched GEMM, or a place for convolution logic.
 */
public final class Sgemm {
    private Sgemm() {
    }

    /**
     * Deepest depth slice. C is read and written once per slice, so deep slices pay on skinny
     * shapes; measured (one thread, CPU time) 256 / 512 / 768 with 256-bit tiles: SGEMM 1024
     * 100 / 109 / 109 GFLOP/s, 64 x 8192 x 576 71 / 81 / 73. With the 8 x 32 tiles of AVX-512 a
     * 512-deep B panel (64 KB) no longer fits the 48 KB L1, but 256 / 384 / 512 / 768 measured the
     * same within noise: SGEMM 1024 171 / 158 / 176 / 185, 2048 200 / 201 / 201 / 206 GFLOP/s, the
     * 19 convolutions of a ResNet-20 step 229 / 220 / 221 / 221 ms.
     */
    static final int KC = 512;
    /**
     * Rows of A per block: 240 rows x 512 deep = 480 KB, half the 1 MB L2 of one Zen 5 core. 120 and
     * 480 measured the same within noise (SGEMM 1024: 174-206, 2048: 210-217 GFLOP/s).
     */
    static final int MC = 240;
    /**
     * Columns of B packed per block in the plain GEMM (the convolutions choose their own); 1024 and
     * 4096 measured the same within noise.
     */
    static final int NC = 2048;
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

    /** Rows of A per block for mr-row panels: MC rounded down to whole panels. */
    static int mc(int mr) {
        return MC / mr * mr;
    }

    /**
     * Rows of the main register tile for an m-row A. With 32 vector registers (AVX-512), 8 x NR
     * unless 8-row panels would waste more than the 4-row tile loses (measured in L1 on Zen 5: 250
     * vs 230 GFLOP/s), i.e. 8 rows for m = 8, 16, 24, 32, 64, ..., 4 rows for m = 4, 12, 20; every
     * panel has that height. With 16 (AVX2), 6 x NR mixed with at most two 4-row panels where C2
     * compiles the 6-row tile without spills, else 4 x NR ({@link RowPanels#SIX}).
     */
    static int tileRows(int m) {
        if (!Lanes.WIDE) return RowPanels.SIX ? Gemm6xNR.MR : Gemm4xNR.MR;
        double eight = (double) m / Lanes.roundUp(m, Gemm8xNR.MR) * 250;
        double four = (double) m / Lanes.roundUp(m, Gemm4xNR.MR) * 230;
        return four > eight ? Gemm4xNR.MR : Gemm8xNR.MR;
    }

    /** What this JVM runs, e.g. "Species[float, 8, S_256_BIT], register tiles of 6 x 16" (the tile of a 64-row A). */
    public static String machine() {
        return Lanes.F + ", register tiles of " + tileRows(64) + " x " + NR;
    }

    /** Floats that {@link #packA} writes for an (m, k) A. */
    public static int packedLength(int m, int k) {
        return RowPanels.of(m).rows() * k;
    }

    /**
     * Packs A: (m, k) whole for {@link #multiply}: depth slice after slice, each slice all row
     * panels of {@link RowPanels#of}(m). Part {@code part} of {@code parts} packs a disjoint range of
     * panels, so workers can share the work; dst holds at least {@link #packedLength} floats from dstOff.
     */
    public static void packA(Panels.PackA a, int m, int k, float[] dst, int dstOff, int part, int parts) {
        packA(RowPanels.of(m), a, m, k, dst, dstOff, part, parts);
    }

    /** {@link #packA} into the panels of a given plan (the tests pack for every driver). */
    static void packA(RowPanels plan, Panels.PackA a, int m, int k, float[] dst, int dstOff, int part, int parts) {
        int mPad = plan.rows(), first = Parallel.split(plan.panels(), parts, part);
        int last = Parallel.split(plan.panels(), parts, part + 1);
        int i0 = plan.start(first), i1 = Math.min(m, plan.start(last)), split = Math.max(i0, Math.min(i1, plan.smallEnd()));
        if (i0 >= i1) return;
        int slices = slices(k);
        for (int slice = 0, p0 = 0; slice < slices; slice++) {
            int kc = sliceDepth(k, slices, slice), base = dstOff + p0 * mPad;
            if (split > i0) a.pack(i0, split - i0, p0, kc, plan.smallRows(), dst, base + i0 * kc);
            if (i1 > split) a.pack(split, i1 - split, p0, kc, plan.bigRows(), dst, base + split * kc);
            p0 += kc;
        }
    }

    /**
     * C = A B or C += A B on the calling thread. A: (m, k) packed by {@link #packA} into ap[aOff..];
     * B: (k, n) through its packer; C: c[cOff + i*ldc + j]. B is packed {@code ncBlock} columns (a
     * multiple of NR) at a time. Scratch is the caller's.
     */
    public static void multiply(float[] ap, int aOff, Panels.PackB b, int m, int n, int k, float[] c, int cOff, int ldc,
                                boolean accumulate, int ncBlock, Scratch scratch) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        if (RowPanels.SIX) Gemm6xNR.multiply(RowPanels.of(m), ap, aOff, b, m, n, k, c, cOff, ldc, accumulate, ncBlock, scratch);
        else if (tileRows(m) == Gemm4xNR.MR) Gemm4xNR.multiply(ap, aOff, b, m, n, k, c, cOff, ldc, accumulate, ncBlock, scratch);
        else Gemm8xNR.multiply(ap, aOff, b, m, n, k, c, cOff, ldc, accumulate, ncBlock, scratch);
    }

    /**
     * The convolution form: B(kk, j) = src[rowOff[kk] + colOff[j / L] + j % L] read in place (see
     * {@link ConvGemm8xNR}). A packed by {@link #packA}; depth > 0.
     */
    static void multiplyDirect(float[] ap, int aOff, int m, int depth, float[] src, int[] rowOff, int[] colOff, int n,
                               float[] c, int cOff, int ldc, boolean accumulate, Scratch scratch) {
        if (m <= 0 || n <= 0) return;
        if (RowPanels.SIX && m > RowPanels.SMALL_ONLY)
            ConvGemm6xNR.multiply(RowPanels.of(m), ap, aOff, m, depth, src, rowOff, colOff, n, c, cOff, ldc, accumulate, scratch);
        else if (!Lanes.WIDE || tileRows(m) == Gemm4xNR.MR) ConvGemm4xNR.multiply(ap, aOff, m, depth, src, rowOff, colOff, n, c, cOff, ldc, accumulate, scratch);
        else ConvGemm8xNR.multiply(ap, aOff, m, depth, src, rowOff, colOff, n, c, cOff, ldc, accumulate, scratch);
    }

    /** Backend.gemm: C = alpha op(A) op(B) + beta C. a: (m|k, lda), b: (k|n, ldb), c: (m, ldc), at the offsets. */
    public static void gemm(Parallel par, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) return;
        long macs = (long) m * n * Math.max(k, 1);
        int mr = tileRows(m), mTiles = (m + mr - 1) / mr, nTiles = (n + NR - 1) / NR;
        boolean splitN = nTiles >= mTiles || nTiles >= 4 * par.threads();
        int parts = macs < SERIAL_MACS ? 1 : Math.min(par.threads(), splitN ? nTiles : mTiles);
        float[] shared = null;
        if (splitN && k > 0 && alpha != 0f) {
            // One packed A for all workers, packed by all of them.
            float[] ap = par.callerScratch().floats(Scratch.PACK_A, packedLength(m, k));
            Panels.PackA pa = Panels.matrixA(a, aOff, lda, transA, alpha);
            par.run(parts, (part, s) -> packA(pa, m, k, ap, 0, part, parts));
            shared = ap;
        }
        float[] sharedA = shared;
        par.run(parts, (part, s) -> {
            int i0 = 0, i1 = m, j0 = 0, j1 = n;
            if (splitN) {
                j0 = Parallel.splitAligned(n, parts, part, NR);
                j1 = Parallel.splitAligned(n, parts, part + 1, NR);
            } else {
                i0 = Parallel.splitAligned(m, parts, part, mr);
                i1 = Parallel.splitAligned(m, parts, part + 1, mr);
            }
            if (i0 >= i1 || j0 >= j1) return;
            int cBase = cOff + i0 * ldc + j0;
            if (beta != 0f && beta != 1f) scale(c, cBase, ldc, i1 - i0, j1 - j0, beta);
            if (alpha == 0f || k <= 0) {
                if (beta == 0f) scale(c, cBase, ldc, i1 - i0, j1 - j0, 0f);
                return;
            }
            float[] ap = sharedA;
            if (ap == null) {                 // split over M: each worker packs its own rows
                ap = s.floats(Scratch.PACK_A, packedLength(i1 - i0, k));
                packA(Panels.matrixA(a, aOff + (transA ? i0 : i0 * lda), lda, transA, alpha), i1 - i0, k, ap, 0, 0, 1);
            }
            Panels.PackB pb = Panels.matrixB(b, bOff + (transB ? j0 * ldb : j0), ldb, transB);
            multiply(ap, 0, pb, i1 - i0, j1 - j0, k, c, cBase, ldc, beta != 0f, NC, s);
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
