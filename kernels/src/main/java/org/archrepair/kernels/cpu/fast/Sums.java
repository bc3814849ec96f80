package org.archrepair.kernels.cpu.fast;

import jdk.incubator.vector.FloatVector;

import static org.archrepair.kernels.cpu.fast.Lanes.F;
import static org.archrepair.kernels.cpu.fast.Lanes.L;

/**
 * Vectorized sums for the reductions of the fast path (channel sums, batch-norm statistics, dot
 * products): {@link Lanes#L} float lanes over blocks of {@link #BLOCK} elements (16 terms per lane
 * with AVX-512, 32 with AVX2), each block total added into a double. The error is that of a float
 * sum of at most BLOCK / L terms per lane, far below a plain float loop over the whole run, and the
 * order depends only on the length and the lane count, never on threads: bitwise reproducible on
 * one machine, while a 256-bit and a 512-bit machine may differ in the last bits.
 *
 * <p>What this is not: a compensated (Kahan) sum; the scalar reference accumulates in double and
 * the tests bound the difference by 1e-5 of the sum of magnitudes.
 */
final class Sums {
    private Sums() {
    }

    static final int BLOCK = 256;

    /**
     * The L lanes of v added in double, lane 0 first. Not {@code reduceLanes(ADD)}: its order is
     * unspecified, and the interpreted and C2-compiled versions really do differ, which would make
     * a rerun's bits depend on how far the JIT had got. Lanes by constant index (C2 only
     * intrinsifies those; the branches on the constant L fold away): going through an array cost
     * 37% of the batch-norm statistics under AVX2.
     */
    static double lanes(FloatVector v) {
        double s = (double) v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3);
        if (L >= 8) s = s + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7);
        if (L >= 16) {
            s = s + v.lane(8) + v.lane(9) + v.lane(10) + v.lane(11);
            s = s + v.lane(12) + v.lane(13) + v.lane(14) + v.lane(15);
        }
        if (L > 16) {                                       // wider vectors than any CPU had when written
            float[] rest = v.toArray();
            for (int i = 16; i < L; i++) s += rest[i];
        }
        return s;
    }

    /** sum of x[off .. off+len). */
    static double sum(float[] x, int off, int len) {
        double total = 0;
        for (int b = 0; b < len; b += BLOCK) {
            int end = Math.min(len, b + BLOCK), i = b;
            FloatVector acc = FloatVector.zero(F);
            for (; i + L <= end; i += L) acc = acc.add(FloatVector.fromArray(F, x, off + i));
            float tail = 0f;
            for (; i < end; i++) tail += x[off + i];
            total += lanes(acc) + (double) tail;
        }
        return total;
    }

    /** sum of a[aOff + i] * b[bOff + i] for i in [0, len). */
    static double dot(float[] a, int aOff, float[] b, int bOff, int len) {
        double total = 0;
        for (int blk = 0; blk < len; blk += BLOCK) {
            int end = Math.min(len, blk + BLOCK), i = blk;
            FloatVector acc = FloatVector.zero(F);
            for (; i + L <= end; i += L)
                acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
            float tail = 0f;
            for (; i < end; i++) tail += a[aOff + i] * b[bOff + i];
            total += lanes(acc) + (double) tail;
        }
        return total;
    }

    /**
     * Shifted sums of x[off .. off+len) about {@code shift}: {sum (x - shift), sum (x - shift)^2}
     * added into out[0], out[1]. With shift near the mean both stay small, so the variance
     * {@code (s2 - s1^2 / m) / m} has no cancellation.
     */
    static void shiftedMoments(float[] x, int off, int len, float shift, double[] out) {
        FloatVector mu = FloatVector.broadcast(F, shift);
        for (int b = 0; b < len; b += BLOCK) {
            int end = Math.min(len, b + BLOCK), i = b;
            FloatVector s1 = FloatVector.zero(F), s2 = FloatVector.zero(F);
            for (; i + L <= end; i += L) {
                FloatVector d = FloatVector.fromArray(F, x, off + i).sub(mu);
                s1 = s1.add(d);
                s2 = d.fma(d, s2);
            }
            float t1 = 0f, t2 = 0f;
            for (; i < end; i++) {
                float d = x[off + i] - shift;
                t1 += d;
                t2 += d * d;
            }
            out[0] += lanes(s1) + (double) t1;
            out[1] += lanes(s2) + (double) t2;
        }
    }
}
