package org.archrepair.kernels.cpu;

import org.archrepair.kernels.Backend;
import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.Pool2dSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reproducibility of the fast backend: a rerun with the same thread count gives identical bits
 * for every primitive of a ResNet training step, and the primitives that give each output to one
 * worker (all but the weight gradient of a non-depthwise convolution and dot) give identical bits
 * for 1, 2 and 3 threads. The rest agree across thread counts within the conformance tolerance
 * (checked there); here they must at least be close.
 */
class FastDeterminismTest {

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = 2 * r.nextFloat() - 1;
        return a;
    }

    private static float[] get(Backend be, DeviceBuffer b) {
        float[] h = new float[(int) b.length()];
        be.download(b, h);
        return h;
    }

    private static List<float[]> step(Backend be) {
        return step(be, 0);
    }

    /** One training-step's worth of primitives on data from seed; returns every output, in order. */
    private static List<float[]> step(Backend be, long seed) {
        List<float[]> out = new ArrayList<>();
        Conv2dSpec conv = Conv2dSpec.of(8, 16, 32, 32, 32, 3, 2, 1, 1, 1);
        Conv2dSpec dw = Conv2dSpec.of(8, 16, 32, 32, 16, 5, 1, 4, 2, 16);
        DeviceBuffer x = be.upload(random((int) conv.xLength(), seed + 1)), w = be.upload(random((int) conv.wLength(), seed + 2));
        DeviceBuffer y = be.allocateUninitialized(DType.F32, conv.yLength()), dy = be.upload(random((int) conv.yLength(), seed + 3));
        DeviceBuffer dx = be.allocateUninitialized(DType.F32, conv.xLength()), dwt = be.allocateUninitialized(DType.F32, conv.wLength());
        be.conv2dForward(conv, x, w, y);
        be.conv2dBackwardData(conv, dy, w, dx);
        be.conv2dBackwardWeight(conv, x, dy, dwt);
        out.add(get(be, y));
        out.add(get(be, dx));
        out.add(get(be, dwt));          // index 2: per-worker partials
        DeviceBuffer w2 = be.upload(random((int) dw.wLength(), seed + 4)), y2 = be.allocateUninitialized(DType.F32, dw.yLength());
        DeviceBuffer dw2 = be.allocateUninitialized(DType.F32, dw.wLength());
        be.conv2dForward(dw, x, w2, y2);
        be.conv2dBackwardWeight(dw, x, y2, dw2);
        out.add(get(be, y2));
        out.add(get(be, dw2));
        BatchNormSpec bn = BatchNormSpec.of(8, 32, 256);
        DeviceBuffer g = be.upload(random(32, seed + 5)), b = be.upload(random(32, seed + 6)), rm = be.allocateZeroed(DType.F32, 32);
        DeviceBuffer rv = be.upload(new float[32]), bnY = be.allocateUninitialized(DType.F32, bn.length());
        DeviceBuffer sm = be.allocateUninitialized(DType.F32, 32), si = be.allocateUninitialized(DType.F32, 32);
        be.batchNormForwardTrain(bn, y, g, b, rm, rv, bnY, sm, si);
        DeviceBuffer bnDx = be.allocateUninitialized(DType.F32, bn.length()), dg = be.allocateUninitialized(DType.F32, 32), db = be.allocateUninitialized(DType.F32, 32);
        be.batchNormBackward(bn, y, dy, g, sm, si, bnDx, dg, db);
        for (DeviceBuffer o : new DeviceBuffer[]{bnY, sm, si, rm, rv, bnDx, dg, db}) out.add(get(be, o));
        BroadcastSpec bc = BroadcastSpec.of(new int[]{8, 32, 16, 16}, new int[]{1, 32, 1, 1});
        DeviceBuffer sum = be.allocateUninitialized(DType.F32, bn.length()), bias = be.allocateUninitialized(DType.F32, 32);
        be.binary(BinaryOp.ADD, bc, bnY, g, sum);
        be.sumTo(new int[]{8, 32, 16, 16}, sum, new int[]{1, 32, 1, 1}, bias);
        out.add(get(be, sum));
        out.add(get(be, bias));
        Pool2dSpec ps = Pool2dSpec.of(8, 32, 16, 16, 3, 1, 1);
        DeviceBuffer py = be.allocateUninitialized(DType.F32, ps.yLength()), am = be.allocateUninitialized(DType.I32, ps.yLength());
        be.maxPool2dForward(ps, sum, py, am);
        be.avgPool2dForward(ps, sum, py);
        out.add(get(be, py));
        out.add(new float[]{(float) be.dot(sum, sum)});   // last: per-part partials
        return out;
    }

    private static List<float[]> run(int threads, Function<Backend, List<float[]>> f) {
        try (CpuBackend be = CpuBackend.fast(threads)) {
            return f.apply(be);
        }
    }

    @Test
    void rerunsAreBitwiseIdenticalAndThreadCountsAgree() {
        List<float[]> two = run(2, FastDeterminismTest::step), again = run(2, FastDeterminismTest::step);
        List<float[]> one = run(1, FastDeterminismTest::step), three = run(3, FastDeterminismTest::step);
        int last = two.size() - 1;
        for (int i = 0; i < two.size(); i++) {
            assertBits("output " + i + " rerun with 2 threads", two.get(i), again.get(i));
            if (i == 2 || i == last) {           // partial sums per worker: close, not bitwise
                assertNear("output " + i + " 1 vs 2 threads", two.get(i), one.get(i));
                assertNear("output " + i + " 3 vs 2 threads", two.get(i), three.get(i));
            } else {
                assertBits("output " + i + " 1 vs 2 threads", two.get(i), one.get(i));
                assertBits("output " + i + " 3 vs 2 threads", two.get(i), three.get(i));
            }
        }
    }

    @Test
    void concurrentCallersAreSerializedNotMixed() throws Exception {
        int callers = 3, rounds = 4;
        List<List<float[]>> alone = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            long seed = 1000L * t;
            alone.add(run(2, be -> step(be, seed)));
        }
        try (CpuBackend be = CpuBackend.fast(2)) {
            List<List<List<float[]>>> results = new ArrayList<>();
            for (int t = 0; t < callers; t++) results.add(new ArrayList<>());
            Thread[] threads = new Thread[callers];
            for (int t = 0; t < callers; t++) {
                int caller = t;
                threads[t] = new Thread(() -> {
                    for (int r = 0; r < rounds; r++) results.get(caller).add(step(be, 1000L * caller));
                });
                threads[t].start();
            }
            for (Thread t : threads) t.join();
            for (int t = 0; t < callers; t++)
                for (int r = 0; r < rounds; r++)
                    for (int i = 0; i < alone.get(t).size(); i++)
                        assertBits("caller " + t + " round " + r + " output " + i, alone.get(t).get(i),
                                results.get(t).get(r).get(i));
        }
    }

    private static void assertBits(String what, float[] a, float[] b) {
        assertEquals(a.length, b.length, what);
        for (int i = 0; i < a.length; i++)
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i]))
                fail(what + ": element " + i + " differs: " + a[i] + " vs " + b[i]);
    }

    /** Loose sanity bound only; the conformance tests hold the real 1e-5-of-magnitude bound. */
    private static void assertNear(String what, float[] a, float[] b) {
        double maxAbs = 0;
        for (float v : a) maxAbs = Math.max(maxAbs, Math.abs(v));
        for (int i = 0; i < a.length; i++)
            assertTrue(Math.abs(a[i] - b[i]) <= 1e-4 * maxAbs, what + ": element " + i + ": " + a[i] + " vs " + b[i]);
    }
}
