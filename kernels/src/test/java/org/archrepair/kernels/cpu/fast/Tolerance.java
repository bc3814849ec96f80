package org.archrepair.kernels.cpu.fast;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * How the fast kernels are compared with the double-accumulating reference: element i may differ
 * by at most {@code REL * magnitude[i] + 1e-30}, where magnitude[i] is the sum of the absolute
 * values of the terms that make up element i (computed by running the reference on |inputs|).
 * Float accumulation of k terms of random sign stays orders of magnitude inside 1e-5 of that sum;
 * a wrong index, a lost term or a missed tile moves the result by about one term, which is far
 * outside it. NaN must match NaN.
 */
final class Tolerance {
    private Tolerance() {
    }

    static final double REL = 1e-5;

    static void assertClose(String what, float[] expected, float[] actual, float[] magnitude) {
        assertEquals(expected.length, actual.length, what + ": length");
        int bad = 0, first = -1;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == actual[i] || Float.isNaN(expected[i]) && Float.isNaN(actual[i])) continue;
            double err = Math.abs((double) actual[i] - expected[i]), bound = REL * magnitude[i] + 1e-30;
            if (!(err <= bound)) {
                if (first < 0) first = i;
                bad++;
            }
            if (magnitude[i] > 0) worst = Math.max(worst, err / magnitude[i]);
        }
        if (bad > 0)
            fail(what + ": " + bad + " of " + expected.length + " elements outside " + REL + " x magnitude; first at "
                    + first + ": expected " + expected[first] + ", got " + actual[first] + ", magnitude "
                    + magnitude[first]);
    }

    /** Bitwise equality of two float arrays (raw bits, so NaN payloads and -0 count). */
    static void assertBitwise(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++)
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i]))
                fail(what + ": differs at " + i + ": " + expected[i] + " vs " + actual[i]);
    }

    /** Uniform in [-1, 1), seeded. */
    static float[] random(int length, long seed) {
        Random r = new Random(seed);
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = 2 * r.nextFloat() - 1;
        return a;
    }

    static float[] abs(float[] a) {
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Math.abs(a[i]);
        return b;
    }
}
