package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static org.archrepair.kernels.cpu.fast.Panels.NR;

/**
 * The B operand of the forward convolution GEMM when output rows are not a multiple of 8 wide (the
 * direct path, {@link ConvGemm6x16}, covers the rest), im2col folded into the packing:
 * {@code B(crs, pq) = x[c][p*strideH - padH + r*dilH][q*strideW - padW + s*dilW]} for one image and
 * one group, with crs = (c, r, s) row-major and pq = (p, q) row-major, so that
 * {@code y[n][k][pq] = sum_crs w[k][crs] B(crs, pq)} lands in NCHW directly.
 *
 * <p>The image is first copied into zero-padded planes (once per image: 1x its size, instead of the
 * 9x of an explicit im2col matrix), so packing has no bounds tests: each (crs, output row) is a run
 * of the padded plane, copied with 8-float vector moves when the stride is 1. Without padding the
 * packer reads the input in place.
 *
 * <p>What this is not: thread-safe. Each worker owns one instance per call.
 */
final class Im2col implements Panels.PackB {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    private final int cg, r, s, p, q, strideH, strideW, dilH, dilW, padH, padW, h, w;
    private final int hp, wp;
    private float[] src;
    private int srcOff;

    /**
     * Geometry of x: (.., cg, h, w) read with the given kernel, stride, padding, dilation; output
     * p x q. Padding may be larger than the kernel reach (backward data uses that).
     */
    Im2col(int cg, int h, int w, int r, int s, int p, int q, int strideH, int strideW, int padH, int padW,
           int dilH, int dilW) {
        this.cg = cg;
        this.h = h;
        this.w = w;
        this.r = r;
        this.s = s;
        this.p = p;
        this.q = q;
        this.strideH = strideH;
        this.strideW = strideW;
        this.dilH = dilH;
        this.dilW = dilW;
        this.padH = padH;
        this.padW = padW;
        this.hp = h + 2 * padH;
        this.wp = w + 2 * padW;
    }

    /** Points the packer at cg planes starting at x[xOff] (x: (cg, h, w) there), padding them into scratch if needed. */
    void image(float[] x, int xOff, Scratch scratch) {
        if (padH == 0 && padW == 0) {
            src = x;
            srcOff = xOff;
            return;
        }
        src = scratch.floats(Scratch.PADDED, cg * hp * wp);
        srcOff = 0;
        pad(x, xOff, cg, h, w, padH, padW, src);
    }

    /** dst: (planes, h + 2 padH, w + 2 padW) = x: (planes, h, w) surrounded by zeros. */
    static void pad(float[] x, int xOff, int planes, int h, int w, int padH, int padW, float[] dst) {
        int hp = h + 2 * padH, wp = w + 2 * padW;
        for (int c = 0; c < planes; c++) {
            int d = c * hp * wp, sIdx = xOff + c * h * w;
            Arrays.fill(dst, d, d + padH * wp + padW, 0f);                 // top rows and the first left border
            for (int i = 0; i < h; i++) {
                int row = d + (padH + i) * wp + padW;
                System.arraycopy(x, sIdx + i * w, dst, row, w);
                Arrays.fill(dst, row + w, row + w + 2 * padW, 0f);      // right border + next left border
            }
            Arrays.fill(dst, d + (padH + h) * wp + padW, d + hp * wp, 0f); // bottom rows
        }
    }

    @Override
    public void pack(int p0, int kc, int j0, int nc, float[] dst) {
        int rs = r * s, plane = hp * wp, rowStep = strideH * wp;
        int c = p0 / rs, rr = (p0 % rs) / s, ss = p0 % s;
        for (int kk = 0; kk < kc; kk++) {
            int base = srcOff + c * plane + rr * dilH * wp + ss * dilW;
            int j = j0, end = j0 + nc, op = j / q, oq = j - op * q;
            while (j < end) {
                int run = Math.min(q - oq, end - j);
                copyRun(src, base + op * rowStep + oq * strideW, strideW, dst, kc, kk, j - j0, run);
                j += run;
                op++;
                oq = 0;
            }
            if (++ss == s) {
                ss = 0;
                if (++rr == r) {
                    rr = 0;
                    c++;
                }
            }
        }
        zeroTail(dst, kc, nc);
    }

    /** Copies len source values (stride sw) to packed columns [jl, jl+len) at depth kk, cut at panel edges. */
    private static void copyRun(float[] src, int si, int sw, float[] dst, int kc, int kk, int jl, int len) {
        while (len > 0) {
            int within = jl & (NR - 1), piece = Math.min(NR - within, len);
            int d = (jl / NR) * kc * NR + kk * NR + within;
            if (sw == 1) {
                int t = 0;
                for (; t + 8 <= piece; t += 8) FloatVector.fromArray(S, src, si + t).intoArray(dst, d + t);
                for (; t < piece; t++) dst[d + t] = src[si + t];
            } else {
                for (int t = 0; t < piece; t++) dst[d + t] = src[si + t * sw];
            }
            si += piece * sw;
            jl += piece;
            len -= piece;
        }
    }

    /** Zeroes the columns of the last panel past nc, so the edge tiles read zeros. */
    static void zeroTail(float[] dst, int kc, int nc) {
        int used = nc % NR;
        if (used == 0) return;
        int base = (nc / NR) * kc * NR;
        for (int kk = 0; kk < kc; kk++) Arrays.fill(dst, base + kk * NR + used, base + kk * NR + NR, 0f);
    }
}
