package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;

import org.archrepair.kernels.Conv2dSpec;

import java.util.Arrays;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;

/**
 * Zero-padded copies of input planes, split by column phase, in which every convolution tap reads
 * consecutive floats for consecutive outputs of a row, whatever the stride, padding or dilation:
 * {@code phase[f][i][t] = x[i - padH][t*strideW + f - padW]} (0 outside the image), so output
 * (p, q) under tap (r, s) reads {@code phase[(s*dilW) % strideW][p*strideH + r*dilH][q + (s*dilW) / strideW]}.
 * With stride 1 this is just the padded plane. Rows are {@link #wq} floats: the output width
 * rounded up to a vector ({@link Lanes#L}) plus the largest tap shift, so a vector load at any
 * output column of a row stays inside the row.
 *
 * <p>One copy per plane (1x its size), instead of the 9x of an explicit im2col; the direct
 * convolution kernels ({@link ConvGemm8xNR}, {@link DepthwiseConv}) read taps from it through
 * {@link #tap} offsets. What this is not: a layout the rest of the engine sees.
 */
final class PhasePlanes {
    final int h, w, padH, padW, strideW, hp, wq;
    /** (w) for strides > 1: where column j of a plane lies in its phases' rows, -1 if beyond them. */
    private final int[] columns;

    /** Geometry for planes of h x w read by a kernel of width s (dilation dilW) producing q columns. */
    PhasePlanes(int h, int w, int padH, int padW, int strideW, int q, int s, int dilW) {
        this.h = h;
        this.w = w;
        this.padH = padH;
        this.padW = padW;
        this.strideW = strideW;
        this.hp = h + 2 * padH;
        this.wq = Lanes.roundUp(q, L) + (s - 1) * dilW / strideW;
        this.columns = strideW == 1 ? null : new int[w];
        if (strideW > 1)
            for (int j = 0; j < w; j++) {
                int f = (j + padW) % strideW, t = (j + padW) / strideW;
                columns[j] = t < wq ? f * hp * wq + t : -1;
            }
    }

    /** Geometry for the input planes of convolution s (its kernel width, dilation and output width). */
    static PhasePlanes of(Conv2dSpec s) {
        return new PhasePlanes(s.h(), s.w(), s.padH(), s.padW(), s.strideW(), s.q(), s.s(), s.dilW());
    }

    /** Floats of one plane's phases. */
    int size() {
        return strideW * hp * wq;
    }

    /** Offset of tap (r, s) from the position of its output in the phases of one plane. */
    int tap(int r, int s, int dilH, int dilW) {
        int col = s * dilW;
        return ((col % strideW) * hp + r * dilH) * wq + col / strideW;
    }

    /** True when the phases of a plane are the plane itself (no padding, stride 1, rows already wq wide). */
    boolean isIdentity() {
        return padH == 0 && padW == 0 && strideW == 1 && wq == w;
    }

    /**
     * Fills the phases of {@code planes} planes at dst with the padding value. {@link #copy} never
     * writes a padding position, so a worker pads its buffer once per call and then copies plane
     * after plane into it: re-padding every plane cost more than the arithmetic of a depthwise
     * convolution.
     */
    void pad(float[] dst, int planes, float padding) {
        Arrays.fill(dst, 0, planes * size(), padding);
    }

    /** The in-image positions of the phases at dst[plane * size()] = x planes at xOff: (planes, h, w). */
    void copy(float[] x, int xOff, int planes, float[] dst) {
        int sw = strideW;
        for (int f = 0; f < sw; f++) {
            // in-image columns of phase f: 0 <= t*sw + f - padW < w
            int tLo = Math.max(0, -Math.floorDiv(f - padW, sw)), tHi = Math.min(wq - 1, Math.floorDiv(w - 1 + padW - f, sw));
            int len = tHi - tLo + 1;
            if (len <= 0) continue;
            for (int plane = 0; plane < planes; plane++)
                for (int i = 0; i < h; i++) {
                    int d = plane * size() + (f * hp + i + padH) * wq + tLo, src = xOff + (plane * h + i) * w + f - padW + tLo * sw;
                    if (sw == 1) {
                        int t = 0;
                        for (; t + L <= len; t += L) FloatVector.fromArray(F, x, src + t).intoArray(dst, d + t);
                        for (; t < len; t++) dst[d + t] = x[src + t];
                    } else {
                        for (int t = 0; t < len; t++) dst[d + t] = x[src + t * sw];
                    }
                }
        }
    }

    /** dx plane at dxOff: (h, w) = the in-image part of the phases at src[srcOff] (the inverse of split for one plane). */
    void merge(float[] src, int srcOff, float[] dx, int dxOff) {
        for (int i = 0; i < h; i++) {
            int s = srcOff + (i + padH) * wq, d = dxOff + i * w;
            if (strideW == 1) {
                int tLo = Math.max(0, padW), tHi = Math.min(wq - 1, w - 1 + padW);
                System.arraycopy(src, s + tLo, dx, d + tLo - padW, tHi - tLo + 1);
            } else {
                // dx row in order from the interleaved phases: stride-2 stores per phase took
                // half the time of a stride-2 convolution's backward data.
                for (int j = 0; j < w; j++) if (columns[j] >= 0) dx[d + j] = src[s + columns[j]];
            }
        }
    }
}
