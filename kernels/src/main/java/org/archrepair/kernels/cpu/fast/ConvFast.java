package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;

import org.archrepair.kernels.Conv2dSpec;

import java.util.Arrays;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;
import static org.archrepair.kernels.cpu.fast.Panels.NR;

/**
 * Convolution as implicit GEMM, any stride, padding, dilation and groups (one GEMM per group),
 * work split over images with a fixed partition. The weights are packed once per call and shared
 * by the workers. B is never materialized as an im2col matrix: the GEMM reads it in place through
 * offset tables ({@link Sgemm#multiplyDirect}) from a copy of the image that puts the inputs of L
 * consecutive outputs (L = {@link Lanes#L}) next to each other under every tap:
 * <ul>
 *   <li>output rows a multiple of L wide: {@link PhasePlanes} (1x the image; a 1x1 stride-1
 *       convolution without padding reads the input itself);
 *   <li>otherwise {@link ShiftPlanes} (one copy per column tap, about 3x the image for 3x3), whose
 *       rows are exactly one output row wide, so vectors run across output rows.
 * </ul>
 * <ul>
 *   <li>forward: {@code y[n] = W (k x crs) * col(x[n]) (crs x pq)}, stored straight into NCHW;
 *   <li>backward data, stride 1: a forward convolution of dy with the flipped, transposed kernel
 *       (output straight into dx); other strides: {@code W^T dy[n]} in L2-sized column blocks,
 *       added into phase planes of dx where the forward pass read them (col2im), then unpacked;
 *   <li>backward weight: {@code sum_n dy[n] col(x[n])^T} with the depth running over (image, p, q)
 *       of a few images at a time, B read from channels-last copies ({@link Im2colT}); each worker
 *       sums its images into its own partial, the partials are added in worker order. Inputs with
 *       fewer channels than lanes (the stem) use dot products instead ({@link WeightGradientDot}).
 * </ul>
 * Forward and backward data compute each output element with one GEMM whose depth slices depend
 * only on the shape, so they are bitwise identical for any thread count; the weight gradient is
 * bitwise reproducible for a given thread count.
 *
 * <p>Depthwise convolutions (groups == c == k) are routed to the direct {@link DepthwiseConv}.
 * What this is not: argument checking (done by CpuBackend).
 * Buffers: x: (n, c, h, w), w: (k, c/groups, r, s), y: (n, k, p, q).
 */
public final class ConvFast {
    private ConvFast() {
    }

    /** Floats of packed B per block: 64K floats (256 KB) keeps the block in L2 next to A. */
    private static final int B_BLOCK = 1 << 16;

    /** y = conv(x, w). x: (n, c, h, w), w: (k, c/groups, r, s), y: (n, k, p, q). */
    public static void forward(Parallel par, Conv2dSpec s, float[] x, float[] w, float[] y) {
        if (s.isDepthwise()) DepthwiseConv.forward(par, s, x, w, y);
        else implicitForward(par, s, x, w, y);
    }

    private static void implicitForward(Parallel par, Conv2dSpec s, float[] x, float[] w, float[] y) {
        int groups = s.groups(), cg = s.c() / groups, kg = s.k() / groups, crs = cg * s.r() * s.s();
        int hw = s.h() * s.w(), pq = s.p() * s.q();
        boolean rows = s.q() % L == 0;         // else ShiftPlanes
        PhasePlanes planes = rows ? PhasePlanes.of(s) : null;
        ShiftPlanes shifted = rows ? null : new ShiftPlanes(s, cg);
        boolean identity = rows ? planes.isIdentity() : shifted.isIdentity();
        int[] off = rows ? tapOffsets(s, planes, cg) : shifted.tapOffsets();
        // Fewer images than workers: cut each image's columns too (any cut gives the same bits).
        int cuts = s.n() >= par.threads() ? 1 : Math.min((par.threads() + s.n() - 1) / s.n(), (pq + NR - 1) / NR);
        int units = s.n() * cuts, parts = Math.min(par.threads(), units);
        float[] ap = packWeights(par, w, groups, kg, crs, false);
        int aLen = Sgemm.packedLength(kg, crs);
        par.run(parts, (part, scratch) -> {
            // This worker's copy of the image; phase planes are padded once: copy() only writes in-image positions.
            float[] src = identity ? x : scratch.floats(Scratch.PADDED, rows ? cg * planes.size() : shifted.size());
            if (rows && !identity) planes.pad(src, cg, 0f);
            for (int u = Parallel.split(units, parts, part); u < Parallel.split(units, parts, part + 1); u++) {
                int img = u / cuts, j0 = Parallel.splitAligned(pq, cuts, u % cuts, NR);
                int j1 = Parallel.splitAligned(pq, cuts, u % cuts + 1, NR);
                for (int g = 0; g < groups; g++) {
                    int xOff = (img * s.c() + g * cg) * hw, yOff = (img * s.k() + g * kg) * pq + j0;
                    int[] cols;
                    if (rows) {
                        if (!identity) planes.copy(x, xOff, cg, src);
                        cols = outputVectors(s, planes, identity ? xOff : 0, j0, j1, scratch);
                    } else {
                        if (!identity) shifted.copy(x, xOff, src);
                        cols = shifted.columns(identity ? xOff : 0, j0, j1, scratch);
                    }
                    Sgemm.multiplyDirect(ap, g * aLen, kg, crs, src, off, cols, j1 - j0, y, yOff, pq, false, scratch);
                }
            }
        });
    }

    /**
     * The weights of every group packed once for the GEMM drivers, shared by all workers (they
     * pack disjoint panels). w: (groups * kg, crs) or, transposed, the (crs, kg) blocks of each
     * group's (kg, crs) rows. Lives in the caller's scratch until the next call.
     */
    private static float[] packWeights(Parallel par, float[] w, int groups, int kg, int crs, boolean transposed) {
        int rows = transposed ? crs : kg, depth = transposed ? kg : crs, len = Sgemm.packedLength(rows, depth);
        float[] ap = par.callerScratch().floats(Scratch.PACK_A, groups * len);
        int parts = par.partsFor((long) groups * rows * depth, 1 << 16);
        par.run(parts, (part, scratch) -> {
            for (int g = 0; g < groups; g++) {
                Panels.PackA a = Panels.matrixA(w, g * kg * crs, crs, transposed, 1f);
                Sgemm.packA(a, rows, depth, ap, g * len, part, parts);
            }
        });
        return ap;
    }

    /** Where output columns j0, j0 + L, ... (each L in one output row) read the phase planes at srcOff. */
    private static int[] outputVectors(Conv2dSpec s, PhasePlanes planes, int srcOff, int j0, int j1, Scratch scratch) {
        int[] cols = scratch.ints(Scratch.COLS, (j1 - j0 + L - 1) / L);
        for (int v = 0, j = j0; j < j1; v++, j += L)
            cols[v] = srcOff + (j / s.q()) * s.strideH() * planes.wq + j % s.q();
        return cols;
    }

    /** off[(c, r, s)] = where tap (r, s) of channel c starts in the phase planes of a group: (crs). */
    private static int[] tapOffsets(Conv2dSpec s, PhasePlanes planes, int cg) {
        int[] off = new int[cg * s.r() * s.s()];
        for (int c = 0, i = 0; c < cg; c++)
            for (int r = 0; r < s.r(); r++)
                for (int t = 0; t < s.s(); t++) off[i++] = c * planes.size() + planes.tap(r, t, s.dilH(), s.dilW());
        return off;
    }

    /** Columns of B per packed block for depth crs: a multiple of NR with the block near 256 KB. */
    private static int blockColumns(int depth) {
        return Math.max(NR, B_BLOCK / Math.min(depth, Sgemm.KC) / NR * NR);
    }

    /** dx = conv_transpose(dy, w). dy: (n, k, p, q), w: (k, c/groups, r, s), dx: (n, c, h, w). */
    public static void backwardData(Parallel par, Conv2dSpec s, float[] dy, float[] w, float[] dx) {
        if (s.isDepthwise()) {
            DepthwiseConv.backwardData(par, s, dy, w, dx);
            return;
        }
        int padH = s.dilH() * (s.r() - 1) - s.padH(), padW = s.dilW() * (s.s() - 1) - s.padW();
        if (s.strideH() == 1 && s.strideW() == 1 && padH >= 0 && padW >= 0) {
            // dx[c][i][j] = sum_{k,r,s} dy[k][i + pad' - r dil][j + pad' - s dil] w[k][c][r][s]: a forward
            // conv of dy with w'[c][k][R-1-r][S-1-s] and padding pad' = dil (R-1) - pad.
            Conv2dSpec t = new Conv2dSpec(s.n(), s.k(), s.p(), s.q(), s.c(), s.r(), s.s(), 1, 1, padH, padW,
                    s.dilH(), s.dilW(), s.groups());
            implicitForward(par, t, dy, flipTranspose(s, w), dx);
        } else {
            gemmCol2im(par, s, dy, w, dx);
        }
    }

    /** w': (c, k/groups, r, s) with w'[g cg + c][k][r][s] = w[g kg + k][c][R-1-r][S-1-s]. */
    private static float[] flipTranspose(Conv2dSpec s, float[] w) {
        int groups = s.groups(), cg = s.c() / groups, kg = s.k() / groups, rs = s.r() * s.s();
        float[] t = new float[w.length];
        for (int g = 0; g < groups; g++)
            for (int k = 0; k < kg; k++)
                for (int c = 0; c < cg; c++) {
                    int src = ((g * kg + k) * cg + c) * rs, dst = ((g * cg + c) * kg + k) * rs;
                    for (int i = 0; i < rs; i++) t[dst + i] = w[src + rs - 1 - i];
                }
        return t;
    }

    /**
     * Backward data for strides > 1 (or padding beyond the kernel's reach): columns = W_g^T dy_g[n]
     * per L2-sized block of output positions, each column added with vector adds into the phase
     * planes of dx where the forward pass would have read it (padding absorbs what falls outside
     * the image), then the planes are unpacked into dx.
     */
    private static void gemmCol2im(Parallel par, Conv2dSpec s, float[] dy, float[] w, float[] dx) {
        int groups = s.groups(), cg = s.c() / groups, kg = s.k() / groups, crs = cg * s.r() * s.s();
        int hw = s.h() * s.w(), pq = s.p() * s.q(), block = Math.min(blockColumns(crs), Lanes.roundUp(pq, NR));
        PhasePlanes planes = PhasePlanes.of(s);
        int[] off = tapOffsets(s, planes, cg);
        int parts = Math.min(par.threads(), s.n()), aLen = Sgemm.packedLength(crs, kg);
        float[] ap = packWeights(par, w, groups, kg, crs, true);
        par.run(parts, (part, scratch) -> {
            float[] columns = scratch.floats(Scratch.COLUMNS, crs * block);
            float[] sum = scratch.floats(Scratch.PADDED, cg * planes.size());
            for (int img = Parallel.split(s.n(), parts, part); img < Parallel.split(s.n(), parts, part + 1); img++)
                for (int g = 0; g < groups; g++) {
                    Arrays.fill(sum, 0, cg * planes.size(), 0f);
                    for (int j0 = 0; j0 < pq; j0 += block) {
                        int nc = Math.min(block, pq - j0);
                        Panels.PackB b = Panels.matrixB(dy, (img * s.k() + g * kg) * pq + j0, pq, false);
                        Sgemm.multiply(ap, g * aLen, b, crs, nc, kg, columns, 0, nc, false, blockColumns(kg), scratch);
                        addColumns(columns, nc, j0, s.q(), s.strideH() * planes.wq, off, crs, sum);
                    }
                    for (int c = 0; c < cg; c++) planes.merge(sum, c * planes.size(), dx, (img * s.c() + g * cg + c) * hw);
                }
        });
    }

    /**
     * sum[off[row] + p*rowStep + q] += columns[row][j - j0] for output columns j = (p, q) in [j0, j0 + nc),
     * row by row, each output row's run with vector adds. columns: (rows, nc).
     */
    private static void addColumns(float[] columns, int nc, int j0, int q, int rowStep, int[] off, int rows, float[] sum) {
        int p0 = j0 / q, q0 = j0 - p0 * q;                 // no division per run: it cost more than the adds
        for (int row = 0; row < rows; row++)
            for (int src = row * nc, end = src + nc, p = p0, oq = q0; src < end; p++, oq = 0) {
                int run = Math.min(q - oq, end - src), d = off[row] + p * rowStep + oq, t = 0;
                for (; t + L <= run; t += L)
                    FloatVector.fromArray(F, sum, d + t).add(FloatVector.fromArray(F, columns, src + t)).intoArray(sum, d + t);
                for (; t < run; t++) sum[d + t] += columns[src + t];
                src += run;
            }
    }

    /** dw = sum over images of dy[n] col(x[n])^T. x: (n, c, h, w), dy: (n, k, p, q), dw: (k, c/groups, r, s). */
    public static void backwardWeight(Parallel par, Conv2dSpec s, float[] x, float[] dy, float[] dw) {
        if (s.isDepthwise()) {
            DepthwiseConv.backwardWeight(par, s, x, dy, dw);
            return;
        }
        if (WeightGradientDot.applies(s)) {
            WeightGradientDot.backwardWeight(par, s, x, dy, dw);
            return;
        }
        int groups = s.groups(), cg = s.c() / groups, kg = s.k() / groups, rs = s.r() * s.s(), crs = cg * rs;
        int pq = s.p() * s.q(), perBlock = Math.max(1, Sgemm.KC / pq);   // images per depth block
        int parts = Math.min(par.threads(), s.n());
        float[][] partials = new float[parts][];
        par.run(parts, (part, scratch) -> {
            // partial: (k, r, s, c/groups), the column order of Im2colT.
            float[] partial = scratch.floats(Scratch.PARTIAL, s.k() * crs);
            partials[part] = partial;
            int n0 = Parallel.split(s.n(), parts, part), n1 = Parallel.split(s.n(), parts, part + 1);
            Im2colT col = new Im2colT(cg, s.h(), s.w(), s.r(), s.s(), s.p(), s.q(), s.strideH(), s.strideW(),
                    s.padH(), s.padW(), s.dilH(), s.dilW(), scratch);
            for (int g = 0; g < groups; g++)
                for (int b0 = n0; b0 < n1; b0 += perBlock) {
                    int count = Math.min(perBlock, n1 - b0);
                    col.images(x, b0, count, s.c(), g * cg, scratch);
                    float[] ap = scratch.floats(Scratch.PACK_A, Sgemm.packedLength(kg, count * pq));
                    Sgemm.packA(Im2colT.gradients(dy, b0, s.k(), g * kg, pq), kg, count * pq, ap, 0, 0, 1);
                    if (col.direct())
                        Sgemm.multiplyDirect(ap, 0, kg, count * pq, col.source(), col.depthOffsets(count, scratch),
                                col.vectorOffsets(crs, scratch), crs, partial, g * kg * crs, crs, b0 > n0, scratch);
                    else
                        Sgemm.multiply(ap, 0, col, kg, crs, count * pq, partial, g * kg * crs, crs, b0 > n0,
                                blockColumns(count * pq), scratch);
                }
        });
        // dw[k][c][r][s] = sum over parts, in part order, of partial[k][r][s][c].
        par.forRange(s.k(), 8, (k0, k1) -> {
            for (int k = k0; k < k1; k++)
                for (int c = 0; c < cg; c++)
                    for (int i = 0; i < rs; i++) {
                        int src = (k * rs + i) * cg + c;
                        float sum = partials[0][src];
                        for (int t = 1; t < parts; t++) sum += partials[t][src];
                        dw[(k * cg + c) * rs + i] = sum;
                    }
        });
    }
}
