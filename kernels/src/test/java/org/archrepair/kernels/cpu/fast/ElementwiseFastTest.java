package org.archrepair.kernels.cpu.fast;

import org.archrepair.kernels.AdamSpec;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;
import org.archrepair.kernels.SgdSpec;
import org.archrepair.kernels.UnaryOp;
import org.archrepair.kernels.cpu.ref.ChannelRef;
import org.archrepair.kernels.cpu.ref.ElementwiseRef;
import org.archrepair.kernels.cpu.ref.OptimRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-element fast paths claim more than the conformance tolerance: bitwise the reference
 * (same IEEE operations in the same order), on lengths with vector tails and on the special
 * values NaN, +-0, +-infinity.
 */
class ElementwiseFastTest {

    private static Parallel par;

    @BeforeAll
    static void start() {
        par = new Parallel(2);
    }

    @AfterAll
    static void stop() {
        par.close();
    }

    private static float[] specials(int length, long seed) {
        float[] x = Tolerance.random(length, seed);
        float[] special = {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -1e-40f};
        for (int i = 0; i < special.length; i++) x[(i * 7 + 3) % length] = special[i];
        return x;
    }

    @Test
    void unaryReluAffineAxpy() {
        int len = 70_001;
        float[] x = specials(len, 1), dy = specials(len, 2);
        for (UnaryOp op : UnaryOp.values()) {
            float[] want = new float[len], got = new float[len];
            ElementwiseRef.unary(op, x, want);
            ElementwiseFast.unary(par, op, x, got);
            Tolerance.assertBitwise("unary " + op, want, got);
        }
        float[] want = new float[len], got = new float[len];
        ElementwiseRef.reluBackward(x, dy, want);
        ElementwiseFast.reluBackward(par, x, dy, got);
        Tolerance.assertBitwise("reluBackward", want, got);
        ElementwiseRef.affine(x, want, -1.5f, 0.25f);
        ElementwiseFast.affine(par, x, got, -1.5f, 0.25f);
        Tolerance.assertBitwise("affine", want, got);
        float[] y1 = dy.clone(), y2 = dy.clone();
        ElementwiseRef.axpy(0.3f, x, y1);
        ElementwiseFast.axpy(par, 0.3f, x, y2);
        Tolerance.assertBitwise("axpy", y1, y2);
    }

    @Test
    void broadcastBinary() {
        int[][][] cases = {{{8, 16, 32, 32}, {1, 16, 1, 1}}, {{8, 16, 9, 9}, {8, 16, 9, 9}}, {{7, 10}, {10}},
                {{3, 1, 5}, {1, 4, 1}}, {{1, 16, 1, 1}, {4, 16, 3, 3}}, {{2, 3, 4, 5}, {2, 1, 4, 1}}};
        for (int[][] c : cases) {
            BroadcastSpec spec = BroadcastSpec.of(c[0], c[1]);
            float[] a = specials((int) BroadcastSpec.volume(spec.aShape()), 3);
            float[] b = specials((int) BroadcastSpec.volume(spec.bShape()), 4);
            for (BinaryOp op : BinaryOp.values()) {
                float[] want = new float[(int) BroadcastSpec.volume(spec.yShape())], got = new float[want.length];
                ElementwiseRef.binary(op, spec, a, b, want);
                BroadcastFast.binary(par, op, spec, a, b, got);
                Tolerance.assertBitwise("binary " + op + " " + spec, want, got);
            }
        }
    }

    @Test
    void mixedSumAndOptimizers() {
        int len = 40_003;
        float[][] xs = {Tolerance.random(len, 5), Tolerance.random(len, 6), Tolerance.random(len, 7)};
        float[] weights = {0.2f, -0.7f, 1.3f}, want = new float[len], got = new float[len];
        ChannelRef.mixedSum(xs, weights, want);
        ElementwiseFast.mixedSum(par, xs, weights, got);
        Tolerance.assertBitwise("mixedSum", want, got);

        for (SgdSpec s : new SgdSpec[]{new SgdSpec(0.1f, 0.9f, 0f, 5e-4f, true, false), new SgdSpec(0.1f, 0.9f, 0.1f, 0f, false, true),
                new SgdSpec(0.05f, 0f, 0f, 1e-4f, false, false)}) {
            float[] w1 = Tolerance.random(len, 8), w2 = w1.clone(), g = Tolerance.random(len, 9);
            float[] b1 = Tolerance.random(len, 10), b2 = b1.clone();
            OptimRef.sgd(s, w1, g, s.momentum() == 0f ? null : b1);
            OptimFast.sgd(par, s, w2, g, s.momentum() == 0f ? null : b2);
            Tolerance.assertBitwise("sgd w " + s, w1, w2);
            Tolerance.assertBitwise("sgd buffer " + s, b1, b2);
        }
        AdamSpec s = new AdamSpec(1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f, 3);
        float[] w1 = Tolerance.random(len, 11), w2 = w1.clone(), g = Tolerance.random(len, 12);
        float[] m1 = Tolerance.random(len, 13), m2 = m1.clone(), v1 = Tolerance.abs(Tolerance.random(len, 14)), v2 = v1.clone();
        OptimRef.adam(s, w1, g, m1, v1);
        OptimFast.adam(par, s, w2, g, m2, v2);
        Tolerance.assertBitwise("adam w", w1, w2);
        Tolerance.assertBitwise("adam m", m1, m2);
        Tolerance.assertBitwise("adam v", v1, v2);
    }
}
