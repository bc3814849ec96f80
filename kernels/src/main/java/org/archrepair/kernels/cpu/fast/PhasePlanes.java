package org.archrepair.kernels.cpu.fast;

import java.util.Arrays;

/**
 * Zero-padded copies of input planes, split by column phase, in which every convolution tap reads
 * consecutive floats for consecutive outputs of a row, whatever the stride, padding or dilation:
 * {@code phase[f][i][t] = x[i - padH][t*strideW + f - padW]} (0 outside the image), so output
 * (p, q) under tap (r, s) reads {@code phase[(s*dilW) % strideW][p*strideH + r*dilH][q + (s*dilW) / strideW]}.
 * With stride 1 this is just the padded plane. Rows are {@link #wq} floats: the output width
 * rounded up to 8 plus the largest tap shift, so an 8-float load at any output column of a row
 * stays inside the row.
 *
 * <p>One copy per plane (1x its size), instead of the 9x of an explicit im2col; the direct
 * convolution kernels ({@link ConvGemm6x16}, {@link DepthwiseConv}) read taps from it through
 * {@link #tap} offsets. What this is not: a layout the rest of the engine sees.
 */
final class PhasePlanes {
    final int h, w, padH, padW, strideW, hp, wq;

    /** Geometry for planes of h x w read by a kernel of width s (dilation dilW) producing q columns. */
    PhasePlanes(int h, int w, int padH, int padW, int strideW, int q, int s, int dilW) {
        this.h = h;
        this.w = w;
        this.padH = padH;
        this.padW = padW;
        this.strideW = strideW;
        this.hp = h + 2 * padH;
        this.wq = (q + 7) / 8 * 8 + (s - 1) * dilW / strideW;
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

    /** dst[plane * size() ...] = phases of x planes [xOff + plane * h * w] for plane in [0, planes), padded with zeros. */
    void split(float[] x, int xOff, int planes, float[] dst) {
        split(x, xOff, planes, dst, 0f);
    }

    /** {@link #split(float[], int, int, float[])} with another padding value (max pooling pads with -infinity). */
    void split(float[] x, int xOff, int planes, float[] dst, float padding) {
        Arrays.fill(dst, 0, planes * size(), padding);
        int sw = strideW;
        for (int f = 0; f < sw; f++) {
            // in-image columns of phase f: 0 <= t*sw + f - padW < w
            int tLo = Math.max(0, -Math.floorDiv(f - padW, sw)), tHi = Math.min(wq - 1, Math.floorDiv(w - 1 + padW - f, sw));
            if (tHi < tLo) continue;
            for (int plane = 0; plane < planes; plane++)
                for (int i = 0; i < h; i++) {
                    int d = plane * size() + (f * hp + i + padH) * wq, src = xOff + (plane * h + i) * w + f - padW;
                    if (sw == 1) System.arraycopy(x, src + tLo, dst, d + tLo, tHi - tLo + 1);
                    else for (int t = tLo; t <= tHi; t++) dst[d + t] = x[src + t * sw];
                }
        }
    }

    /** dx plane at dxOff: (h, w) = the in-image part of the phases at src[srcOff] (the inverse of split for one plane). */
    void merge(float[] src, int srcOff, float[] dx, int dxOff) {
        int sw = strideW;
        for (int f = 0; f < sw; f++) {
            int tLo = Math.max(0, -Math.floorDiv(f - padW, sw)), tHi = Math.min(wq - 1, Math.floorDiv(w - 1 + padW - f, sw));
            for (int i = 0; i < h; i++) {
                int s = srcOff + (f * hp + i + padH) * wq, d = dxOff + i * w + f - padW;
                if (sw == 1) System.arraycopy(src, s + tLo, dx, d + tLo, tHi - tLo + 1);
                else for (int t = tLo; t <= tHi; t++) dx[d + t * sw] = src[s + t];
            }
        }
    }
}
