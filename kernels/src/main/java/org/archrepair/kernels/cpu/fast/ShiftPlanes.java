package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import org.archrepair.kernels.Conv2dSpec;

import java.util.Arrays;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;

/**
 * The direct convolution's source when output rows are not a multiple of a vector wide (the 8 x 8
 * outputs of the last ResNet stage at 16 lanes, odd sizes): copies of the input planes in which
 * consecutive output positions j = p * q + t, across output rows, read consecutive floats under
 * every tap, so any L of them are one vector load. For each column tap s and each row phase f (the
 * values of (r * dilH) % strideH that occur), with rows exactly q wide:
 * {@code plane[s][f][i][t] = x[i * strideH + f - padH][t * strideW + s * dilW - padW]} (0 outside
 * the image), i in [0, p + (r_max * dilH) / strideH]. Output j under tap (r, s) then reads
 * {@code plane[s][(r dilH) % strideH][0][0] + ((r dilH) / strideH) * q + j}.
 *
 * <p>The copy is S x the input for stride 1 (S / strideW x for wider strides, 1/4 x for a 1x1
 * stride-2 projection), instead of the 9x of an im2col matrix, and the
 * {@link ConvGemm8xNR direct drivers} read it in place. Row-multiple-of-L outputs use the 1x
 * {@link PhasePlanes} instead. A vector that starts in the last L - 1 positions reads past the
 * planes: the buffer has L floats of slack, whose values only reach output columns that the
 * drivers discard (each lane is its own sum).
 *
 * <p>What this is not: thread-safe storage. Buffers: x: (.., cg, h, w); the copy: (cg, S, phases, hq, q) + L.
 */
final class ShiftPlanes {
    private final Conv2dSpec s;
    private final int cg, hq, q, pq, phases, vectorsPerPlane;
    private final int[] phaseOf;       // (strideH): index among the used row phases, -1 if unused
    private final int[] source;        // (s * phases, vectorsPerPlane * L): where plane position k reads one input channel
    private final boolean[] inImage;   // same shape: false where it reads padding (or lies past the plane)
    private final int[] run;           // (s * phases * vectorsPerPlane): where a vector's inputs start if consecutive
    private static final int NOT_A_RUN = Integer.MIN_VALUE;

    ShiftPlanes(Conv2dSpec s, int cg) {
        this.s = s;
        this.cg = cg;
        this.q = s.q();
        this.pq = s.p() * s.q();
        this.hq = s.p() + (s.r() - 1) * s.dilH() / s.strideH();
        this.phaseOf = new int[s.strideH()];
        Arrays.fill(phaseOf, -1);
        int used = 0;
        for (int r = 0; r < s.r(); r++) {
            int f = r * s.dilH() % s.strideH();
            if (phaseOf[f] < 0) phaseOf[f] = used++;
        }
        this.phases = used;
        this.vectorsPerPlane = (hq * q + L - 1) / L;
        this.source = new int[s.s() * phases * vectorsPerPlane * L];
        this.inImage = new boolean[source.length];
        for (int t = 0; t < s.s(); t++)
            for (int f = 0; f < s.strideH(); f++)
                if (phaseOf[f] >= 0) map(t, f, (t * phases + phaseOf[f]) * vectorsPerPlane * L);
        this.run = new int[s.s() * phases * vectorsPerPlane];
        for (int v = 0; v < run.length; v++) run[v] = run(v * L);
    }

    /** Where the L inputs of the vector at k start when all its in-image lanes read consecutive floats; else NOT_A_RUN. */
    private int run(int k) {
        int start = NOT_A_RUN;
        for (int j = 0; j < L; j++) {
            if (!inImage[k + j]) continue;
            if (start == NOT_A_RUN) start = source[k + j] - j;
            else if (source[k + j] != start + j) return NOT_A_RUN;
        }
        return start == NOT_A_RUN ? 0 : start;
    }

    /** Fills source and inImage for the plane of column tap t and row phase f, at index base. */
    private void map(int t, int f, int base) {
        for (int i = 0; i < hq; i++)
            for (int col = 0; col < q; col++) {
                int ih = i * s.strideH() + f - s.padH(), iw = col * s.strideW() + t * s.dilW() - s.padW();
                boolean in = ih >= 0 && ih < s.h() && iw >= 0 && iw < s.w();
                source[base + i * q + col] = in ? ih * s.w() + iw : 0;
                inImage[base + i * q + col] = in;
            }
    }

    /** Floats of one channel's planes. */
    private int channelSize() {
        return s.s() * phases * hq * q;
    }

    /** Floats of the copy of cg channels, slack included. */
    int size() {
        return cg * channelSize() + L;
    }

    /** True when the planes are the input itself (1x1, stride 1, no padding, whole vectors per image). */
    boolean isIdentity() {
        return s.r() == 1 && s.s() == 1 && s.strideH() == 1 && s.strideW() == 1 && s.padH() == 0 && s.padW() == 0
                && pq % L == 0;
    }

    /** off[(c, r, s)] = where tap (r, s) of channel c reads output position 0: (cg * r * s). */
    int[] tapOffsets() {
        int[] off = new int[cg * s.r() * s.s()];
        int stride = isIdentity() ? s.h() * s.w() : channelSize();
        for (int c = 0, i = 0; c < cg; c++)
            for (int r = 0; r < s.r(); r++)
                for (int t = 0; t < s.s(); t++) {
                    int f = phaseOf[r * s.dilH() % s.strideH()];
                    off[i++] = c * stride + (t * phases + f) * hq * q + r * s.dilH() / s.strideH() * q;
                }
        return off;
    }

    /** Where the vectors of output positions j0, j0 + L, ... < j1 start, for planes at srcOff: (ceil((j1 - j0) / L)). */
    int[] columns(int srcOff, int j0, int j1, Scratch scratch) {
        int[] cols = scratch.ints(Scratch.COLS, (j1 - j0 + L - 1) / L);
        for (int v = 0, j = j0; j < j1; v++, j += L) cols[v] = srcOff + j;
        return cols;
    }

    /**
     * dst[0 ..) = the planes of the cg channels at x[xOff]: (cg, h, w). Every position but the slack
     * is written, one vector of L at a time: a masked load where the vector's in-image inputs are
     * consecutive (stride 1 with rows as wide as the input, the "same" convolutions of ResNets,
     * where a vector runs across rows), element by element otherwise. Measured on the 64 x 8 x 8
     * layer at batch 128: 0.27 ms per pass, against 1.3 ms with a copy call per row and 0.78 ms
     * (AVX-512) / 4.3 ms (AVX2) with masked gathers; on the 32 -> 64 stride-2 layer, where no
     * vector is a run, element by element was as fast as gathers (AVX-512) and row loops of 8
     * elements. A vector may run past its plane into the next one, which is written afterwards,
     * or into the slack.
     */
    void copy(float[] x, int xOff, float[] dst) {
        int n = hq * q, hw = s.h() * s.w();
        for (int c = 0; c < cg; c++)
            for (int plane = 0, planes = s.s() * phases; plane < planes; plane++) {
                int d = c * channelSize() + plane * n, src = xOff + c * hw, map = plane * vectorsPerPlane * L;
                for (int k = 0, v = plane * vectorsPerPlane; k < n; k += L, v++) {
                    if (run[v] != NOT_A_RUN) {
                        VectorMask<Float> m = VectorMask.fromArray(F, inImage, map + k);
                        FloatVector.fromArray(F, x, src + run[v], m).intoArray(dst, d + k);
                    } else {
                        for (int j = map + k, e = j + L; j < e; j++) dst[d + j - map] = inImage[j] ? x[src + source[j]] : 0f;
                    }
                }
            }
    }
}
