package org.archrepair.kernels.cpu.fast;

import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.cpu.ref.ConvRef;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * Implicit-GEMM and depthwise convolutions against the scalar reference, on the layer shapes of
 * ResNet-20, ResNet-18 (CIFAR) and the DARTS search space, plus grouped, dilated, asymmetric and
 * odd shapes that hit the edge tiles and the col2im path. Small batches keep the suite fast. The
 * ungrouped layers are also checked against an oracle nobody here wrote: the convolution as a GEMM
 * over an explicit im2col matrix, multiplied in float64 by EJML.
 */
class ConvFastTest {

    private static Parallel one, two, three;

    @BeforeAll
    static void start() {
        one = new Parallel(1);
        two = new Parallel(2);
        three = new Parallel(3);
    }

    @AfterAll
    static void stop() {
        one.close();
        two.close();
        three.close();
    }

    static Stream<Arguments> layers() {
        return Stream.of(
                // ResNet-20 (CIFAR, 3x3 pad 1)
                layer("resnet20 stem 3->16 32x32", Conv2dSpec.of(4, 3, 32, 32, 16, 3, 1, 1, 1, 1)),
                // few input channels: weight gradient as dot products (channel and tap blocks with tails)
                layer("5->7 3x3 s2 32x32", Conv2dSpec.of(2, 5, 32, 32, 7, 3, 2, 1, 1, 1)),
                layer("3->6 3x5 dil2 20x16", new Conv2dSpec(2, 3, 20, 16, 6, 3, 5, 1, 1, 2, 4, 2, 2, 1)),
                layer("resnet20 16x32x32", Conv2dSpec.of(4, 16, 32, 32, 16, 3, 1, 1, 1, 1)),
                layer("resnet20 16->32 s2 32x32", Conv2dSpec.of(4, 16, 32, 32, 32, 3, 2, 1, 1, 1)),
                layer("resnet20 32x16x16", Conv2dSpec.of(4, 32, 16, 16, 32, 3, 1, 1, 1, 1)),
                layer("resnet20 32->64 s2 16x16", Conv2dSpec.of(4, 32, 16, 16, 64, 3, 2, 1, 1, 1)),
                layer("resnet20 64x8x8", Conv2dSpec.of(4, 64, 8, 8, 64, 3, 1, 1, 1, 1)),
                // ResNet-18 (CIFAR)
                layer("resnet18 64x32x32", Conv2dSpec.of(2, 64, 32, 32, 64, 3, 1, 1, 1, 1)),
                layer("resnet18 64->128 s2 32x32", Conv2dSpec.of(2, 64, 32, 32, 128, 3, 2, 1, 1, 1)),
                layer("resnet18 128x16x16", Conv2dSpec.of(2, 128, 16, 16, 128, 3, 1, 1, 1, 1)),
                layer("resnet18 256x8x8", Conv2dSpec.of(2, 256, 8, 8, 256, 3, 1, 1, 1, 1)),
                layer("resnet18 512x4x4", Conv2dSpec.of(2, 512, 4, 4, 512, 3, 1, 1, 1, 1)),
                layer("resnet18 proj 1x1 s2 64->128", Conv2dSpec.of(2, 64, 32, 32, 128, 1, 2, 0, 1, 1)),
                layer("resnet18 proj 1x1 s2 256->512", Conv2dSpec.of(2, 256, 8, 8, 512, 1, 2, 0, 1, 1)),
                // DARTS: pointwise, depthwise 3x3/5x5, stride 1/2, dilation 2
                layer("darts pointwise 1x1 16x32x32", Conv2dSpec.of(3, 16, 32, 32, 16, 1, 1, 0, 1, 1)),
                layer("depthwise 3x3 s1 16x32x32", Conv2dSpec.of(3, 16, 32, 32, 16, 3, 1, 1, 1, 16)),
                layer("depthwise 5x5 s1 32x16x16", Conv2dSpec.of(3, 32, 16, 16, 32, 5, 1, 2, 1, 32)),
                layer("depthwise 3x3 s2 16x32x32", Conv2dSpec.of(3, 16, 32, 32, 16, 3, 2, 1, 1, 16)),
                layer("depthwise 5x5 s2 16x32x32", Conv2dSpec.of(2, 16, 32, 32, 16, 5, 2, 2, 1, 16)),
                layer("depthwise 3x3 dil2 32x16x16", Conv2dSpec.of(3, 32, 16, 16, 32, 3, 1, 2, 2, 32)),
                layer("depthwise 5x5 dil2 s2 16x32x32", Conv2dSpec.of(2, 16, 32, 32, 16, 5, 2, 4, 2, 16)),
                layer("depthwise 3x3 odd 7x13", Conv2dSpec.of(2, 5, 7, 13, 5, 3, 1, 1, 1, 5)),
                // grouped, channel multiplier, dilation, odd and asymmetric shapes
                layer("grouped 4 16->32 3x3 8x8", Conv2dSpec.of(3, 16, 8, 8, 32, 3, 1, 1, 1, 4)),
                layer("grouped 4 s2 16->16 3x3 9x9", Conv2dSpec.of(2, 16, 9, 9, 16, 3, 2, 1, 1, 4)),
                layer("channel multiplier 8->16 groups 8", Conv2dSpec.of(2, 8, 10, 10, 16, 3, 1, 1, 1, 8)),
                layer("dilated 2 16->16 3x3", Conv2dSpec.of(2, 16, 12, 12, 16, 3, 1, 2, 2, 1)),
                layer("odd 5->7 3x3 s2 9x11", Conv2dSpec.of(3, 5, 9, 11, 7, 3, 2, 1, 1, 1)),
                layer("odd 13->19 5x5 no pad 11x9", Conv2dSpec.of(2, 13, 11, 9, 19, 5, 1, 0, 1, 1)),
                layer("1x1 pad 1 (col2im path)", Conv2dSpec.of(2, 6, 5, 7, 10, 1, 1, 1, 1, 1)),
                layer("dilated 2 stride 2 8->12 3x3 (col2im path)", Conv2dSpec.of(2, 8, 11, 11, 12, 3, 2, 2, 2, 1)),
                layer("stride 3 5x5 pad 2 6->9 13x14 (col2im path)", new Conv2dSpec(2, 6, 13, 14, 9, 5, 5, 3, 3, 2, 2, 1, 1, 1)),
                layer("asymmetric 3x1 s(2,1) p(1,0)", new Conv2dSpec(2, 6, 10, 9, 8, 3, 1, 2, 1, 1, 0, 1, 1, 1)),
                layer("single image 16x32x32 (columns split)", Conv2dSpec.of(1, 16, 32, 32, 16, 3, 1, 1, 1, 1)),
                layer("direct, half tile at the end: 5x8 output", Conv2dSpec.of(2, 12, 5, 8, 20, 3, 1, 1, 1, 1)),
                layer("direct, 6-row tiles, 8-channel taps: 8->30", Conv2dSpec.of(3, 8, 12, 16, 30, 3, 1, 1, 1, 1)),
                layer("deep 130->70 3x3 (several depth slices)", Conv2dSpec.of(2, 130, 6, 6, 70, 3, 1, 1, 1, 1)));
    }

    private static Arguments layer(String name, Conv2dSpec spec) {
        return Arguments.of(name, spec);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void forward(String name, Conv2dSpec s) {
        float[] x = Tolerance.random((int) s.xLength(), 11), w = Tolerance.random((int) s.wLength(), 12);
        float[] expected = new float[(int) s.yLength()], magnitude = new float[expected.length];
        ConvRef.forward(s, x, w, expected);
        ConvRef.forward(s, Tolerance.abs(x), Tolerance.abs(w), magnitude);
        float[] got = new float[expected.length];
        ConvFast.forward(two, s, x, w, got);
        Tolerance.assertClose(name + " forward", expected, got, magnitude);
        sameBitsForAnyThreadCount(name + " forward", got, (par, out) -> ConvFast.forward(par, s, x, w, out));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void backwardData(String name, Conv2dSpec s) {
        float[] dy = Tolerance.random((int) s.yLength(), 13), w = Tolerance.random((int) s.wLength(), 14);
        float[] expected = new float[(int) s.xLength()], magnitude = new float[expected.length];
        ConvRef.backwardData(s, dy, w, expected);
        ConvRef.backwardData(s, Tolerance.abs(dy), Tolerance.abs(w), magnitude);
        float[] got = Tolerance.random(expected.length, 99);     // garbage in dx must be overwritten
        ConvFast.backwardData(two, s, dy, w, got);
        Tolerance.assertClose(name + " backward data", expected, got, magnitude);
        sameBitsForAnyThreadCount(name + " backward data", got, (par, out) -> ConvFast.backwardData(par, s, dy, w, out));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void backwardWeight(String name, Conv2dSpec s) {
        float[] x = Tolerance.random((int) s.xLength(), 15), dy = Tolerance.random((int) s.yLength(), 16);
        float[] expected = new float[(int) s.wLength()], magnitude = new float[expected.length];
        ConvRef.backwardWeight(s, x, dy, expected);
        ConvRef.backwardWeight(s, Tolerance.abs(x), Tolerance.abs(dy), magnitude);
        float[] got = Tolerance.random(expected.length, 98);
        ConvFast.backwardWeight(two, s, x, dy, got);
        Tolerance.assertClose(name + " backward weight", expected, got, magnitude);
        // Per-worker partials: reproducible for a thread count, close (not bitwise) across counts,
        // except depthwise, which sums a whole channel on one worker.
        float[] again = new float[got.length];
        ConvFast.backwardWeight(two, s, x, dy, again);
        Tolerance.assertBitwise(name + " backward weight rerun", got, again);
        for (Parallel par : new Parallel[]{one, three}) {
            float[] other = new float[got.length];
            ConvFast.backwardWeight(par, s, x, dy, other);
            if (s.isDepthwise()) Tolerance.assertBitwise(name + " backward weight " + par.threads() + " threads", got, other);
            else Tolerance.assertClose(name + " backward weight " + par.threads() + " threads", expected, other, magnitude);
        }
    }

    /**
     * Forward, data gradient and weight gradient against EJML: per image, col = im2col(x): (crs, pq);
     * y = W col, dcol = W^T dy scattered back by col2im, dW = sum over images of dy col^T. The
     * magnitudes (the same products over absolute values) bound the float error as in the reference tests.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void convAsGemmMatchesEjml(String name, Conv2dSpec s) {
        if (s.groups() != 1) return;
        float[] x = Tolerance.random((int) s.xLength(), 21), w = Tolerance.random((int) s.wLength(), 22);
        float[] dy = Tolerance.random((int) s.yLength(), 23);
        float[][] y = new float[2][(int) s.yLength()], dx = new float[2][(int) s.xLength()], dw = new float[2][(int) s.wLength()];
        for (int abs = 0; abs < 2; abs++) {
            DMatrixRMaj wm = matrix(s.k(), s.c() * s.r() * s.s(), w, abs == 1, 0), dwm = new DMatrixRMaj(s.k(), wm.numCols);
            for (int img = 0; img < s.n(); img++) {
                DMatrixRMaj col = im2col(s, x, img, abs == 1), dym = matrix(s.k(), s.p() * s.q(), dy, abs == 1, img);
                DMatrixRMaj ym = new DMatrixRMaj(s.k(), col.numCols), dcol = new DMatrixRMaj(col.numRows, col.numCols);
                CommonOps_DDRM.mult(wm, col, ym);
                copy(ym, y[abs], img);
                CommonOps_DDRM.multTransA(wm, dym, dcol);
                col2im(s, dcol, dx[abs], img);
                CommonOps_DDRM.multAddTransB(dym, col, dwm);
            }
            copy(dwm, dw[abs], 0);
        }
        float[] got = new float[y[0].length];
        ConvFast.forward(two, s, x, w, got);
        Tolerance.assertClose(name + " forward vs EJML", y[0], got, y[1]);
        got = new float[dx[0].length];
        ConvFast.backwardData(two, s, dy, w, got);
        Tolerance.assertClose(name + " backward data vs EJML", dx[0], got, dx[1]);
        got = new float[dw[0].length];
        ConvFast.backwardWeight(two, s, x, dy, got);
        Tolerance.assertClose(name + " backward weight vs EJML", dw[0], got, dw[1]);
    }

    /** Block {@code block} of rows x cols floats of v as a float64 matrix (absolute values if abs). */
    private static DMatrixRMaj matrix(int rows, int cols, float[] v, boolean abs, int block) {
        DMatrixRMaj d = new DMatrixRMaj(rows, cols);
        for (int i = 0, o = block * rows * cols; i < rows * cols; i++) d.data[i] = abs ? Math.abs(v[o + i]) : v[o + i];
        return d;
    }

    private static void copy(DMatrixRMaj d, float[] out, int block) {
        for (int i = 0, o = block * d.data.length; i < d.getNumElements(); i++) out[o + i] = (float) d.data[i];
    }

    /** col(c*r*s + dr*s + ds, oh*q + ow) = x(img, c, oh*stride - pad + dr*dil, ...), 0 outside: (crs, pq). */
    private static DMatrixRMaj im2col(Conv2dSpec s, float[] x, int img, boolean abs) {
        DMatrixRMaj col = new DMatrixRMaj(s.c() * s.r() * s.s(), s.p() * s.q());
        for (int c = 0; c < s.c(); c++)
            for (int dr = 0; dr < s.r(); dr++)
                for (int ds = 0; ds < s.s(); ds++)
                    for (int oh = 0; oh < s.p(); oh++)
                        for (int ow = 0; ow < s.q(); ow++) {
                            int ih = oh * s.strideH() - s.padH() + dr * s.dilH(), iw = ow * s.strideW() - s.padW() + ds * s.dilW();
                            if (ih < 0 || ih >= s.h() || iw < 0 || iw >= s.w()) continue;
                            float v = x[((img * s.c() + c) * s.h() + ih) * s.w() + iw];
                            col.set((c * s.r() + dr) * s.s() + ds, oh * s.q() + ow, abs ? Math.abs(v) : v);
                        }
        return col;
    }

    /** dx(img) += the im2col scatter of dcol: (crs, pq). */
    private static void col2im(Conv2dSpec s, DMatrixRMaj dcol, float[] dx, int img) {
        double[] acc = new double[s.c() * s.h() * s.w()];
        for (int c = 0; c < s.c(); c++)
            for (int dr = 0; dr < s.r(); dr++)
                for (int ds = 0; ds < s.s(); ds++)
                    for (int oh = 0; oh < s.p(); oh++)
                        for (int ow = 0; ow < s.q(); ow++) {
                            int ih = oh * s.strideH() - s.padH() + dr * s.dilH(), iw = ow * s.strideW() - s.padW() + ds * s.dilW();
                            if (ih < 0 || ih >= s.h() || iw < 0 || iw >= s.w()) continue;
                            acc[(c * s.h() + ih) * s.w() + iw] += dcol.get((c * s.r() + dr) * s.s() + ds, oh * s.q() + ow);
                        }
        for (int i = 0, o = img * acc.length; i < acc.length; i++) dx[o + i] = (float) acc[i];
    }

    private interface Op {
        void run(Parallel par, float[] out);
    }

    /** Forward and backward data compute each output on one worker with fixed depth slices. */
    private static void sameBitsForAnyThreadCount(String what, float[] got, Op op) {
        for (Parallel par : new Parallel[]{two, one, three}) {
            float[] out = new float[got.length];
            op.run(par, out);
            Tolerance.assertBitwise(what + " with " + par.threads() + " threads", got, out);
        }
    }
}
