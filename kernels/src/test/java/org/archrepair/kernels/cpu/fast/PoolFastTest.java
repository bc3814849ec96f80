package org.archrepair.kernels.cpu.fast;

import org.archrepair.kernels.Pool2dSpec;
import org.archrepair.kernels.cpu.ref.PoolRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The vectorized pools claim more than the conformance tolerance: bitwise the reference, argmax
 * included, with NaN, ties, -infinity, padding and strides (PyTorch's rules: ties to the first
 * maximum, NaN wins, count_include_pad = false).
 */
class PoolFastTest {

    private static Parallel par;

    @BeforeAll
    static void start() {
        par = new Parallel(2);
    }

    @AfterAll
    static void stop() {
        par.close();
    }

    static Stream<Pool2dSpec> pools() {
        return Stream.of(Pool2dSpec.of(3, 5, 32, 32, 3, 1, 1), Pool2dSpec.of(3, 5, 32, 32, 3, 2, 1),
                Pool2dSpec.of(2, 4, 8, 8, 2, 2, 0), Pool2dSpec.of(2, 3, 7, 13, 3, 2, 1),
                Pool2dSpec.of(2, 3, 9, 11, 5, 1, 2), new Pool2dSpec(2, 3, 10, 17, 3, 2, 2, 3, 1, 1),
                Pool2dSpec.of(1, 2, 5, 5, 5, 1, 0));
    }

    /** Random values with many ties (a coarse grid), some NaN and -infinity. */
    private static float[] input(int length, long seed) {
        Random r = new Random(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            int k = r.nextInt(40);
            x[i] = k == 0 ? Float.NaN : k == 1 ? Float.NEGATIVE_INFINITY : (r.nextInt(9) - 4) * 0.25f;
        }
        return x;
    }

    @ParameterizedTest
    @MethodSource("pools")
    void maxPoolIsBitwiseTheReference(Pool2dSpec s) {
        float[] x = input((int) s.xLength(), 1), want = new float[(int) s.yLength()], got = new float[want.length];
        int[] wantArg = new int[want.length], gotArg = new int[want.length];
        PoolRef.maxForward(s, x, want, wantArg);
        PoolFast.maxForward(par, s, x, got, gotArg);
        Tolerance.assertBitwise(s + " max", want, got);
        assertArrayEquals(wantArg, gotArg, s + " argmax");
        float[] dy = Tolerance.random(want.length, 2), wantDx = new float[x.length], gotDx = new float[x.length];
        PoolRef.maxBackward(s, dy, wantArg, wantDx);
        PoolFast.maxBackward(par, s, dy, gotArg, gotDx);
        Tolerance.assertBitwise(s + " max backward", wantDx, gotDx);
    }

    @ParameterizedTest
    @MethodSource("pools")
    void avgPoolIsBitwiseTheReference(Pool2dSpec s) {
        float[] x = Tolerance.random((int) s.xLength(), 3), want = new float[(int) s.yLength()], got = new float[want.length];
        PoolRef.avgForward(s, x, want);
        PoolFast.avgForward(par, s, x, got);
        Tolerance.assertBitwise(s + " avg", want, got);
        float[] dy = Tolerance.random(want.length, 4), wantDx = new float[x.length], gotDx = Tolerance.random(x.length, 5);
        PoolRef.avgBackward(s, dy, wantDx);
        PoolFast.avgBackward(par, s, dy, gotDx);
        Tolerance.assertBitwise(s + " avg backward", wantDx, gotDx);
    }
}
