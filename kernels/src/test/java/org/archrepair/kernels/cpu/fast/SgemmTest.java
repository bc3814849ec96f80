package org.archrepair.kernels.cpu.fast;

import org.archrepair.kernels.cpu.ref.GemmRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** The packed SGEMM against the double-accumulating reference, every transpose/alpha/beta/offset case. */
class SgemmTest {

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

    /** One problem: sizes, transposes, scalars, offsets and extra leading-dimension padding. */
    record Case(int m, int n, int k, boolean ta, boolean tb, float alpha, float beta, int off, int pad) {
        int lda() { return (ta ? m : k) + pad; }
        int ldb() { return (tb ? k : n) + pad; }
        int ldc() { return n + pad; }
        int aLen() { return off + (ta ? k : m) * lda(); }
        int bLen() { return off + (tb ? n : k) * ldb(); }
        int cLen() { return off + m * ldc(); }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[][] sizes = {{1, 1, 1}, {6, 16, 8}, {7, 17, 9}, {13, 35, 29}, {16, 300, 144}, {37, 5, 70}, {5, 37, 700},
                {64, 64, 576}, {100, 130, 1030}};
        float[][] scalars = {{1f, 0f}, {1f, 1f}, {-0.75f, 0.5f}, {2.5f, 1f}};
        int i = 0;
        for (int[] s : sizes)
            for (boolean ta : new boolean[]{false, true})
                for (boolean tb : new boolean[]{false, true}) {
                    float[] ab = scalars[i++ % scalars.length];
                    out.add(Arguments.of(new Case(s[0], s[1], s[2], ta, tb, ab[0], ab[1], i % 3 == 0 ? 0 : 5, i % 2 * 3)));
                }
        return out.stream();
    }

    private static float[] run(Parallel par, Case c, float[] a, float[] b, float[] c0) {
        float[] cc = c0.clone();
        Sgemm.gemm(par, c.ta(), c.tb(), c.m(), c.n(), c.k(), c.alpha(), a, c.off(), c.lda(), b, c.off(), c.ldb(),
                c.beta(), cc, c.off(), c.ldc());
        return cc;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesReference(Case c) {
        float[] a = Tolerance.random(c.aLen(), 1), b = Tolerance.random(c.bLen(), 2), c0 = Tolerance.random(c.cLen(), 3);
        float[] expected = c0.clone(), magnitude = Tolerance.abs(c0);
        GemmRef.gemm(c.ta(), c.tb(), c.m(), c.n(), c.k(), c.alpha(), a, c.off(), c.lda(), b, c.off(), c.ldb(),
                c.beta(), expected, c.off(), c.ldc());
        GemmRef.gemm(c.ta(), c.tb(), c.m(), c.n(), c.k(), Math.abs(c.alpha()), Tolerance.abs(a), c.off(), c.lda(),
                Tolerance.abs(b), c.off(), c.ldb(), Math.abs(c.beta()), magnitude, c.off(), c.ldc());
        float[] got = run(two, c, a, b, c0);
        Tolerance.assertClose(c.toString(), expected, got, magnitude);
        // Elements outside the m x n window (offsets, ld padding) are untouched.
        for (int i = 0; i < got.length; i++) {
            int row = (i - c.off()) / c.ldc(), col = (i - c.off()) % c.ldc();
            if (i < c.off() || col >= c.n()) assertFalse(Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(c0[i]),
                    "element " + i + " outside C changed (row " + row + ")");
        }
        // Every C element is computed by one worker with the same depth slices: identical bits for any thread count.
        Tolerance.assertBitwise(c + " 1 vs 2 threads", run(one, c, a, b, c0), got);
        Tolerance.assertBitwise(c + " 3 vs 2 threads", run(three, c, a, b, c0), got);
        Tolerance.assertBitwise(c + " rerun", run(two, c, a, b, c0), got);
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        Case c = new Case(20, 40, 30, false, false, 1f, 0f, 0, 0);
        float[] a = Tolerance.random(c.aLen(), 4), b = Tolerance.random(c.bLen(), 5), c0 = new float[c.cLen()];
        Arrays.fill(c0, Float.NaN);
        float[] expected = new float[c0.length], magnitude = new float[c0.length];
        GemmRef.gemm(false, false, c.m(), c.n(), c.k(), 1f, a, 0, c.lda(), b, 0, c.ldb(), 0f, expected, 0, c.ldc());
        GemmRef.gemm(false, false, c.m(), c.n(), c.k(), 1f, Tolerance.abs(a), 0, c.lda(), Tolerance.abs(b), 0, c.ldb(),
                0f, magnitude, 0, c.ldc());
        Tolerance.assertClose("beta 0 over NaN", expected, run(two, c, a, b, c0), magnitude);
    }

    @Test
    void zeroDepthScalesC() {
        Case c = new Case(9, 21, 0, false, true, 1f, 0.5f, 0, 0);
        float[] c0 = Tolerance.random(c.m() * c.ldc(), 6), expected = c0.clone();
        GemmRef.gemm(false, true, c.m(), c.n(), 0, 1f, new float[1], 0, 1, new float[1], 0, 1, 0.5f, expected, 0, c.ldc());
        float[] got = c0.clone();
        Sgemm.gemm(two, false, true, c.m(), c.n(), 0, 1f, new float[1], 0, 1, new float[1], 0, 1, 0.5f, got, 0, c.ldc());
        Tolerance.assertBitwise("k = 0", expected, got);
    }

    @Test
    void largeSquareUsesSeveralBlocks() {
        // 600 > MC rows and 1100 > KC depth: several row blocks and depth slices, accumulated in C.
        Case c = new Case(300, 260, 1100, false, false, 1f, 1f, 0, 0);
        float[] a = Tolerance.random(c.aLen(), 7), b = Tolerance.random(c.bLen(), 8), c0 = Tolerance.random(c.cLen(), 9);
        float[] expected = c0.clone(), magnitude = Tolerance.abs(c0);
        GemmRef.gemm(false, false, c.m(), c.n(), c.k(), 1f, a, 0, c.lda(), b, 0, c.ldb(), 1f, expected, 0, c.ldc());
        GemmRef.gemm(false, false, c.m(), c.n(), c.k(), 1f, Tolerance.abs(a), 0, c.lda(), Tolerance.abs(b), 0, c.ldb(),
                1f, magnitude, 0, c.ldc());
        Tolerance.assertClose("300x260x1100", expected, run(two, c, a, b, c0), magnitude);
    }

    @Test
    void mixedPanelsOverSeveralBlocks() {
        // 250 rows: with 16 registers one 4-row panel and 41 6-row panels in two row blocks; over M
        // (11 x 2 tiles of columns are too few to split N), so each worker packs its own plan.
        Case c = new Case(250, 20, 600, true, false, 1f, 0f, 3, 2);
        float[] a = Tolerance.random(c.aLen(), 10), b = Tolerance.random(c.bLen(), 11), c0 = Tolerance.random(c.cLen(), 12);
        float[] expected = c0.clone(), magnitude = new float[c0.length];
        GemmRef.gemm(true, false, c.m(), c.n(), c.k(), 1f, a, c.off(), c.lda(), b, c.off(), c.ldb(), 0f, expected,
                c.off(), c.ldc());
        GemmRef.gemm(true, false, c.m(), c.n(), c.k(), 1f, Tolerance.abs(a), c.off(), c.lda(), Tolerance.abs(b),
                c.off(), c.ldb(), 0f, magnitude, c.off(), c.ldc());
        float[] got = run(two, c, a, b, c0);
        Tolerance.assertClose(c.toString(), expected, got, magnitude);
        Tolerance.assertBitwise(c + " 1 vs 2 threads", run(one, c, a, b, c0), got);
    }
}
