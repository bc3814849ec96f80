package org.archrepair.kernels;

import org.archrepair.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every Backend primitive on every available backend against {@link CpuBackend#reference()}, on
 * shapes from real ResNet / DARTS layers. Results must lie within {@code 1e-5} of the sum of the
 * magnitudes of the terms that make up each element (see {@link #close}); NaN must match NaN and
 * infinities must be equal; copies, argmax and
 * memory operations must be exact. {@link #argumentChecks()} proves that every primitive rejects a
 * buffer of the wrong length or dtype (or a foreign or missing one) with an
 * IllegalArgumentException that names the argument.
 *
 * <p>Longer than 600 lines on purpose: one primitive after another, in Backend's order, is the
 * easiest way to see that none is missing.
 *
 * <p>Backends: the fast CPU paths with 1 and 2 threads, and the CUDA backend twice: over the stub
 * driver that runs the real kernels on the CPU ("cuda-emulated", wherever g++ is) and on a GPU
 * ("cuda"), each skipped with a printed reason where it cannot open ({@link TestDevices}).
 */
class BackendConformanceTest {

    static final double REL = 1e-5;

    private static final Map<String, Backend> OPEN = new LinkedHashMap<>();
    private static Backend ref;

    static Stream<String> backends() {
        return Stream.concat(TestDevices.selected(Stream.of("cpu-fast-1", "cpu-fast-2")), TestDevices.cuda());
    }

    /** The backend under test; a CUDA one that cannot open here skips the test. */
    static Backend device(String name) {
        return switch (name) {
            case "cpu-fast-1", "cpu-fast-2" -> OPEN.get(name);
            default -> TestDevices.open(name);
        };
    }

    @BeforeAll
    static void start() {
        ref = CpuBackend.reference();
        OPEN.put("cpu-fast-1", CpuBackend.fast(1));
        OPEN.put("cpu-fast-2", CpuBackend.fast(2));
    }

    @AfterAll
    static void stop() {
        OPEN.values().forEach(Backend::close);
        ref.close();
    }

    // ---------------------------------------------------------------- harness

    /** The same host data on the backend under test (t) and on the reference (r). */
    private record Pair(DeviceBuffer t, DeviceBuffer r) {
    }

    private static Pair up(Backend be, float[] host) {
        return new Pair(be.upload(host), ref.upload(host));
    }

    private static Pair up(Backend be, int[] host) {
        return new Pair(be.upload(host), ref.upload(host));
    }

    private static Pair zeros(Backend be, int length) {
        return up(be, new float[length]);
    }

    private static float[] get(DeviceBuffer b) {
        float[] h = new float[(int) b.length()];
        b.backend().download(b, h);
        return h;
    }

    private static int[] getInts(DeviceBuffer b) {
        int[] h = new int[(int) b.length()];
        b.backend().download(b, h);
        return h;
    }

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

    /** |got - want| <= REL * magnitude + 1e-30 element by element; NaN must match NaN. */
    static void close(String what, float[] want, float[] got, float[] magnitude) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            if (want[i] == got[i] || Float.isNaN(want[i]) && Float.isNaN(got[i])) continue;   // also equal infinities
            double err = Math.abs((double) got[i] - want[i]);
            if (!(err <= REL * magnitude[i] + 1e-30))
                fail(what + ": element " + i + " expected " + want[i] + ", got " + got[i] + " (magnitude " + magnitude[i] + ")");
        }
    }

    /** Compares the downloaded pair with magnitude computed by the caller. */
    private static void close(String what, Pair p, float[] magnitude) {
        close(what, get(p.r()), get(p.t()), magnitude);
    }

    // ---------------------------------------------------------------- memory

    @ParameterizedTest
    @MethodSource("backends")
    void memory(String name) {
        Backend be = device(name);
        float[] h = random(1000, 1);
        DeviceBuffer a = be.upload(h), z = be.allocateZeroed(DType.F32, 1000), ints = be.upload(new int[]{3, -1, 7});
        assertArrayEquals(h, get(a));
        assertArrayEquals(new float[1000], get(z));
        assertArrayEquals(new int[]{3, -1, 7}, getInts(ints));
        be.copy(a, 10, z, 500, 300);
        float[] want = new float[1000];
        System.arraycopy(h, 10, want, 500, 300);
        assertArrayEquals(want, get(z));
        be.fill(z, -2.5f);
        float[] filled = new float[1000];
        Arrays.fill(filled, -2.5f);
        assertArrayEquals(filled, get(z));
        assertEquals(DType.I32, be.allocateUninitialized(DType.I32, 4).dtype());
        assertEquals(4, be.allocateUninitialized(DType.I32, 4).length());
        // A zeroed buffer is zero even where the memory it reuses held something else (a GPU's cache).
        z.release();
        z.release();                                                // twice is harmless
        DeviceBuffer again = be.allocateZeroed(DType.F32, 1000), ints0 = be.allocateZeroed(DType.I32, 1000);
        assertArrayEquals(new float[1000], get(again));
        assertArrayEquals(new int[1000], getInts(ints0));
        assertEquals(0, be.allocateUninitialized(DType.F32, 0).length());
    }

    // ---------------------------------------------------------------- elementwise

    @ParameterizedTest
    @MethodSource("backends")
    void unary(String name) {
        Backend be = device(name);
        float[] h = random(100_003, 2);                           // odd length: vector tails
        h[0] = Float.NaN;
        h[1] = -0f;
        for (UnaryOp op : UnaryOp.values()) {
            float[] in = op == UnaryOp.LOG || op == UnaryOp.SQRT ? abs(h) : h;
            Pair x = up(be, in), y = zeros(be, in.length);
            be.unary(op, x.t(), y.t());
            ref.unary(op, x.r(), y.r());
            float[] want = get(y.r());
            close("unary " + op, y, abs(want));
            be.unary(op, x.t(), x.t());                             // in place
            close("unary " + op + " in place", want, get(x.t()), abs(want));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void reluBackward(String name) {
        Backend be = device(name);
        float[] yh = random(70_001, 3);
        yh[5] = 0f;
        Pair y = up(be, yh), dy = up(be, random(70_001, 4)), dx = zeros(be, 70_001);
        be.reluBackward(y.t(), dy.t(), dx.t());
        ref.reluBackward(y.r(), dy.r(), dx.r());
        close("reluBackward", dx, abs(get(dy.r())));
    }

    /** Broadcast patterns of CNN training: same shape, per channel, per sample, bias rows, scalar. */
    static Stream<int[][]> broadcasts() {
        return Stream.of(
                new int[][]{{8, 16, 32, 32}, {8, 16, 32, 32}},
                new int[][]{{8, 16, 32, 32}, {1, 16, 1, 1}},
                new int[][]{{1, 16, 1, 1}, {8, 16, 32, 32}},
                new int[][]{{8, 64, 8, 8}, {8, 64, 1, 1}},
                new int[][]{{8, 64, 8, 8}, {8, 1, 8, 8}},
                new int[][]{{128, 10}, {10}},
                new int[][]{{5, 3, 7}, {1}},
                new int[][]{{3, 1, 5}, {1, 4, 1}},
                new int[][]{{1}, {1}});
    }

    @ParameterizedTest
    @MethodSource("backends")
    void binary(String name) {
        Backend be = device(name);
        broadcasts().forEach(shapes -> {
            BroadcastSpec spec = BroadcastSpec.of(shapes[0], shapes[1]);
            float[] ah = random((int) BroadcastSpec.volume(spec.aShape()), 5);
            float[] bh = random((int) BroadcastSpec.volume(spec.bShape()), 6);
            for (int i = 0; i < bh.length; i++) bh[i] += bh[i] < 0 ? -0.5f : 0.5f;   // keep DIV away from 0
            for (BinaryOp op : BinaryOp.values()) {
                Pair a = up(be, ah), b = up(be, bh), y = zeros(be, (int) BroadcastSpec.volume(spec.yShape()));
                be.binary(op, spec, a.t(), b.t(), y.t());
                ref.binary(op, spec, a.r(), b.r(), y.r());
                // Magnitude of one operation: |a| + |b| for ADD/SUB, |a op b| for MUL/DIV.
                Pair absA = up(ref, abs(ah)), absB = up(ref, abs(bh));
                DeviceBuffer mag = ref.allocateUninitialized(DType.F32, y.r().length());
                ref.binary(op == BinaryOp.SUB ? BinaryOp.ADD : op, spec, absA.r(), absB.r(), mag);
                close("binary " + op + " " + spec, y, get(mag));
            }
        });
        // y may be a when a has y's shape.
        BroadcastSpec spec = BroadcastSpec.of(new int[]{4, 16, 8, 8}, new int[]{1, 16, 1, 1});
        Pair a = up(be, random(4 * 16 * 64, 7)), b = up(be, random(16, 8));
        be.binary(BinaryOp.MUL, spec, a.t(), b.t(), a.t());
        ref.binary(BinaryOp.MUL, spec, a.r(), b.r(), a.r());
        close("binary in place", a, abs(get(a.r())));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void sumTo(String name) {
        Backend be = device(name);
        int[][][] cases = {
                {{8, 16, 32, 32}, {1, 16, 1, 1}},   // conv bias / BN-style channel sums
                {{8, 16, 32, 32}, {8, 16, 1, 1}},
                {{128, 10}, {1, 10}},               // linear bias
                {{8, 16, 4, 4}, {1, 1, 1, 1}},
                {{8, 16, 4, 4}, {8, 16, 4, 4}},
                {{6, 5, 4, 3}, {6, 1, 4, 1}}};      // a pattern without a fast path (reference fallback)
        for (int[][] c : cases) {
            int len = (int) BroadcastSpec.volume(c[0]), out = (int) BroadcastSpec.volume(c[1]);
            float[] xh = random(len, 9);
            Pair x = up(be, xh), y = zeros(be, out);
            be.sumTo(c[0], x.t(), c[1], y.t());
            ref.sumTo(c[0], x.r(), c[1], y.r());
            DeviceBuffer mag = ref.allocateUninitialized(DType.F32, out);
            ref.sumTo(c[0], ref.upload(abs(xh)), c[1], mag);
            close("sumTo " + Arrays.toString(c[0]) + " -> " + Arrays.toString(c[1]), y, get(mag));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void affineAxpyDot(String name) {
        Backend be = device(name);
        float[] xh = random(50_005, 10), yh = random(50_005, 11);
        Pair x = up(be, xh), y = up(be, yh);
        be.affine(x.t(), y.t(), -1.5f, 0.25f);
        ref.affine(x.r(), y.r(), -1.5f, 0.25f);
        float[] mag = new float[xh.length];
        for (int i = 0; i < mag.length; i++) mag[i] = 1.5f * Math.abs(xh[i]) + 0.25f;
        close("affine", y, mag);
        be.affine(x.t(), x.t(), 2f, -1f);                            // in place
        ref.affine(x.r(), x.r(), 2f, -1f);
        for (int i = 0; i < mag.length; i++) mag[i] = 2f * Math.abs(xh[i]) + 1f;
        close("affine in place", x, mag);

        Pair u = up(be, xh), v = up(be, yh);
        be.axpy(0.75f, u.t(), v.t());
        ref.axpy(0.75f, u.r(), v.r());
        for (int i = 0; i < mag.length; i++) mag[i] = 0.75f * Math.abs(xh[i]) + Math.abs(yh[i]);
        close("axpy", v, mag);

        double want = ref.dot(u.r(), v.r()), got = be.dot(u.t(), v.t());
        double magDot = ref.dot(ref.upload(abs(xh)), ref.upload(abs(get(v.r()))));
        if (!(Math.abs(got - want) <= REL * magDot)) fail("dot: expected " + want + ", got " + got);
    }

    // ---------------------------------------------------------------- statistics that stay on the device

    @ParameterizedTest
    @MethodSource("backends")
    void sumOfSquaresAndClipping(String name) {
        Backend be = device(name);
        float[] xh = random(70_001, 12);
        Pair x = up(be, xh), acc = up(be, new float[]{0.5f});
        for (int twice = 0; twice < 2; twice++) {                  // accumulates
            be.sumOfSquares(x.t(), acc.t());
            ref.sumOfSquares(x.r(), acc.r());
        }
        close("sumOfSquares", acc, get(acc.r()));                  // every term is positive: magnitude = value
        float sq = get(acc.r())[0];
        for (float maxNorm : new float[]{1f, 1e9f}) {              // clipped, and a factor of exactly 1
            Pair y = zeros(be, xh.length);
            be.clipByNorm(acc.t(), maxNorm, x.t(), y.t());
            ref.clipByNorm(acc.r(), maxNorm, x.r(), y.r());
            float factor = Math.min(1f, maxNorm / ((float) Math.sqrt(sq) + 1e-6f));
            float[] want = get(y.r());
            for (int i = 0; i < xh.length; i++) assertEquals(xh[i] * factor, want[i], "reference clipByNorm " + i);
            close("clipByNorm " + maxNorm, y, abs(want));
            if (maxNorm > 1e8f) assertArrayEquals(xh, get(y.t()), "clipByNorm with factor 1");
        }
        be.clipByNorm(acc.t(), 1f, x.t(), x.t());                  // in place
        ref.clipByNorm(acc.r(), 1f, x.r(), x.r());
        close("clipByNorm in place", x, abs(get(x.r())));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void argmaxAndCorrectCount(String name) {
        Backend be = device(name);
        for (int cols : new int[]{1, 10, 37, 200}) {
            int rows = 130;
            float[] xh = random(rows * cols, 13 + cols);
            for (int r = 0; r < rows; r += 3) xh[r * cols + (r % cols)] = 2f;       // ties of 2 between columns
            for (int r = 0; r < rows; r += 6) xh[r * cols + ((r + 5) % cols)] = 2f;
            for (int r = 1; r < rows; r += 7) xh[r * cols] = Float.NaN;            // NaN in the first column
            for (int r = 2; r < rows; r += 11) xh[r * cols + cols - 1] = Float.NaN; // NaN later: never wins
            int[] labels = new int[rows];
            for (int r = 0; r < rows; r++) labels[r] = r % 2 == 0 ? StatsOracle.argmax(xh, r, cols) : (r * 7) % cols;
            int[] outInit = new int[rows + 9];
            Arrays.fill(outInit, -7);
            Pair x = up(be, xh), out = up(be, outInit), lab = up(be, labels), count = up(be, new int[]{3});
            be.argmaxRows(rows, cols, x.t(), out.t(), 5);
            ref.argmaxRows(rows, cols, x.r(), out.r(), 5);
            int[] want = getInts(out.r());
            for (int r = 0; r < rows; r++) assertEquals(StatsOracle.argmax(xh, r, cols), want[5 + r], "reference argmax row " + r);
            assertArrayEquals(want, getInts(out.t()), "argmaxRows, " + cols + " columns");
            be.countCorrect(rows, cols, x.t(), lab.t(), count.t());
            ref.countCorrect(rows, cols, x.r(), lab.r(), count.r());
            int correct = 0;
            for (int r = 0; r < rows; r++) if (StatsOracle.argmax(xh, r, cols) == labels[r]) correct++;
            assertEquals(3 + correct, getInts(count.r())[0], "reference countCorrect");
            assertArrayEquals(getInts(count.r()), getInts(count.t()), "countCorrect, " + cols + " columns");
        }
    }

    /** The argmax of the Evaluator, written out here so that the reference is checked too. */
    private static final class StatsOracle {
        static int argmax(float[] x, int r, int cols) {
            int best = 0;
            for (int j = 1; j < cols; j++) if (x[r * cols + j] > x[r * cols + best]) best = j;
            return best;
        }
    }

    // ---------------------------------------------------------------- gemm

    @ParameterizedTest
    @MethodSource("backends")
    void gemm(String name) {
        Backend be = device(name);
        // (m, n, k) from a linear layer (batch 128, 64 -> 10), its two gradients, and an odd block with offsets.
        int[][] shapes = {{128, 10, 64}, {64, 10, 128}, {128, 64, 10}, {37, 29, 53}};
        int seed = 20;
        for (int[] sh : shapes)
            for (boolean ta : new boolean[]{false, true})
                for (boolean tb : new boolean[]{false, true})
                    for (float beta : new float[]{0f, 1f, 0.5f}) {
                        int m = sh[0], n = sh[1], k = sh[2], off = 3, pad = 2;
                        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
                        float[] ah = random(off + (ta ? k : m) * lda, seed++), bh = random(off + (tb ? n : k) * ldb, seed++);
                        float[] ch = random(off + m * ldc, seed++);
                        float alpha = beta == 0.5f ? -1.25f : 1f;
                        Pair a = up(be, ah), b = up(be, bh), c = up(be, ch);
                        be.gemm(ta, tb, m, n, k, alpha, a.t(), off, lda, b.t(), off, ldb, beta, c.t(), off, ldc);
                        ref.gemm(ta, tb, m, n, k, alpha, a.r(), off, lda, b.r(), off, ldb, beta, c.r(), off, ldc);
                        DeviceBuffer mag = ref.upload(abs(ch));
                        ref.gemm(ta, tb, m, n, k, Math.abs(alpha), ref.upload(abs(ah)), off, lda, ref.upload(abs(bh)),
                                off, ldb, Math.abs(beta), mag, off, ldc);
                        close("gemm " + Arrays.toString(sh) + " ta=" + ta + " tb=" + tb + " beta=" + beta, c, get(mag));
                    }
    }

    /** alpha == 0 reads neither A nor B (NaN there does not reach C); beta == 0 ignores C (NaN there neither). */
    @ParameterizedTest
    @MethodSource("backends")
    void gemmAlphaZeroAndBetaZeroIgnoreTheirOperands(String name) {
        ignoresOperands(device(name));
    }

    @Test
    void gemmAlphaZeroAndBetaZeroIgnoreTheirOperandsOnTheReference() {
        ignoresOperands(ref);
    }

    private static void ignoresOperands(Backend be) {
        float[] nan = new float[12 * 12];
        Arrays.fill(nan, Float.NaN);
        float[] ch = random(12 * 12, 99);
        DeviceBuffer c = be.upload(ch);
        be.gemm(false, false, 12, 12, 12, 0f, be.upload(nan), 0, 12, be.upload(nan), 0, 12, 0.5f, c, 0, 12);
        float[] got = get(c);
        for (int i = 0; i < ch.length; i++) assertEquals(0.5f * ch[i], got[i], be + ", alpha = 0: C[" + i + "]");
        float[] ones = new float[12 * 12];
        Arrays.fill(ones, 1f);
        DeviceBuffer d = be.upload(nan);
        be.gemm(false, false, 12, 12, 12, 1f, be.upload(ones), 0, 12, be.upload(ones), 0, 12, 0f, d, 0, 12);
        float[] sum = get(d);
        for (int i = 0; i < sum.length; i++) assertEquals(12f, sum[i], be + ", beta = 0: C[" + i + "]");
    }

    // ---------------------------------------------------------------- convolution

    static Stream<Conv2dSpec> convs() {
        return Stream.of(
                Conv2dSpec.of(2, 3, 32, 32, 16, 3, 1, 1, 1, 1),     // ResNet-20 stem
                Conv2dSpec.of(2, 16, 32, 32, 32, 3, 2, 1, 1, 1),    // ResNet-20 downsampling
                Conv2dSpec.of(2, 64, 8, 8, 64, 3, 1, 1, 1, 1),      // ResNet-20 last stage
                Conv2dSpec.of(2, 128, 8, 8, 256, 1, 2, 0, 1, 1),    // ResNet-18 1x1 projection (16x16 -> 8x8 input halves)
                Conv2dSpec.of(2, 16, 32, 32, 16, 5, 1, 4, 2, 16),   // DARTS dil_conv_5x5 depthwise part
                Conv2dSpec.of(2, 32, 16, 16, 32, 3, 2, 1, 1, 32),   // depthwise stride 2
                Conv2dSpec.of(2, 16, 8, 8, 32, 3, 1, 1, 1, 4),      // grouped
                Conv2dSpec.of(3, 32, 8, 8, 48, 1, 1, 0, 1, 2));     // 1x1 stride 1 (no im2col on the GPU), 2 groups
    }

    @ParameterizedTest
    @MethodSource("backends")
    void convolution(String name) {
        Backend be = device(name);
        convs().forEach(s -> {
            float[] xh = random((int) s.xLength(), 30), wh = random((int) s.wLength(), 31), gh = random((int) s.yLength(), 32);
            Pair x = up(be, xh), w = up(be, wh), dy = up(be, gh);
            Pair y = zeros(be, (int) s.yLength()), dx = zeros(be, (int) s.xLength()), dw = zeros(be, (int) s.wLength());
            be.conv2dForward(s, x.t(), w.t(), y.t());
            ref.conv2dForward(s, x.r(), w.r(), y.r());
            be.conv2dBackwardData(s, dy.t(), w.t(), dx.t());
            ref.conv2dBackwardData(s, dy.r(), w.r(), dx.r());
            be.conv2dBackwardWeight(s, x.t(), dy.t(), dw.t());
            ref.conv2dBackwardWeight(s, x.r(), dy.r(), dw.r());
            DeviceBuffer ax = ref.upload(abs(xh)), aw = ref.upload(abs(wh)), ag = ref.upload(abs(gh));
            DeviceBuffer my = ref.allocateUninitialized(DType.F32, s.yLength()), mx = ref.allocateUninitialized(DType.F32, s.xLength());
            DeviceBuffer mw = ref.allocateUninitialized(DType.F32, s.wLength());
            ref.conv2dForward(s, ax, aw, my);
            ref.conv2dBackwardData(s, ag, aw, mx);
            ref.conv2dBackwardWeight(s, ax, ag, mw);
            close(s + " forward", y, get(my));
            close(s + " backward data", dx, get(mx));
            close(s + " backward weight", dw, get(mw));
        });
    }

    // ---------------------------------------------------------------- pooling

    @ParameterizedTest
    @MethodSource("backends")
    void pooling(String name) {
        Backend be = device(name);
        Pool2dSpec[] specs = {
                Pool2dSpec.of(4, 16, 32, 32, 3, 1, 1),   // DARTS max/avg_pool_3x3, stride 1
                Pool2dSpec.of(4, 16, 32, 32, 3, 2, 1),   // DARTS reduction cell
                Pool2dSpec.of(4, 64, 8, 8, 2, 2, 0),
                Pool2dSpec.of(2, 3, 7, 9, 3, 2, 1)};
        for (Pool2dSpec s : specs) {
            float[] xh = random((int) s.xLength(), 40);
            xh[3] = Float.NaN;                                     // NaN wins its windows
            Arrays.fill(xh, 100, 140, 0.5f);                       // ties: the first position wins
            Pair x = up(be, xh), y = zeros(be, (int) s.yLength()), dy = up(be, random((int) s.yLength(), 41));
            Pair am = up(be, new int[(int) s.yLength()]), dx = zeros(be, (int) s.xLength());
            be.maxPool2dForward(s, x.t(), y.t(), am.t());
            ref.maxPool2dForward(s, x.r(), y.r(), am.r());
            close("max pool " + s, y, abs(get(y.r())));
            assertArrayEquals(getInts(am.r()), getInts(am.t()), "max pool argmax " + s);
            be.maxPool2dBackward(s, dy.t(), am.t(), dx.t());
            ref.maxPool2dBackward(s, dy.r(), am.r(), dx.r());
            DeviceBuffer magBuf = ref.allocateUninitialized(DType.F32, s.xLength());
            ref.maxPool2dBackward(s, ref.upload(abs(get(dy.r()))), am.r(), magBuf);
            close("max pool backward " + s, dx, get(magBuf));

            xh[3] = 0.25f;
            Pair xa = up(be, xh), ya = zeros(be, (int) s.yLength()), dxa = zeros(be, (int) s.xLength());
            be.avgPool2dForward(s, xa.t(), ya.t());
            ref.avgPool2dForward(s, xa.r(), ya.r());
            DeviceBuffer my = ref.allocateUninitialized(DType.F32, s.yLength());
            ref.avgPool2dForward(s, ref.upload(abs(xh)), my);
            close("avg pool " + s, ya, get(my));
            be.avgPool2dBackward(s, dy.t(), dxa.t());
            ref.avgPool2dBackward(s, dy.r(), dxa.r());
            DeviceBuffer mx = ref.allocateUninitialized(DType.F32, s.xLength());
            ref.avgPool2dBackward(s, ref.upload(abs(get(dy.r()))), mx);
            close("avg pool backward " + s, dxa, get(mx));
        }
        // global average pool over ResNet-20's last feature map
        int n = 8, c = 64, hw = 64;
        float[] xh = random(n * c * hw, 42), gh = random(n * c, 43);
        Pair x = up(be, xh), y = zeros(be, n * c), dy = up(be, gh), dx = zeros(be, n * c * hw);
        be.globalAvgPoolForward(n, c, hw, x.t(), y.t());
        ref.globalAvgPoolForward(n, c, hw, x.r(), y.r());
        DeviceBuffer my = ref.allocateUninitialized(DType.F32, n * c);
        ref.globalAvgPoolForward(n, c, hw, ref.upload(abs(xh)), my);
        close("global avg pool", y, get(my));
        be.globalAvgPoolBackward(n, c, hw, dy.t(), dx.t());
        ref.globalAvgPoolBackward(n, c, hw, dy.r(), dx.r());
        close("global avg pool backward", dx, abs(get(dx.r())));
    }

    // ---------------------------------------------------------------- batch norm

    @ParameterizedTest
    @MethodSource("backends")
    void batchNorm(String name) {
        Backend be = device(name);
        BatchNormSpec[] specs = {BatchNormSpec.of(8, 16, 1024), BatchNormSpec.of(8, 64, 64), BatchNormSpec.of(4, 512, 16),
                new BatchNormSpec(5, 3, 7, 1e-3f, 0.2f), BatchNormSpec.of(16, 10, 1)};
        for (BatchNormSpec s : specs)
            for (boolean affine : new boolean[]{true, false}) batchNormCase(be, s, affine);
    }

    private static void batchNormCase(Backend be, BatchNormSpec s, boolean affine) {
        int len = (int) s.length(), c = s.c();
        float[] xh = random(len, 50);
        for (int i = 0; i < len; i++) xh[i] = 3f * xh[i] + 0.5f;           // mean away from 0, var away from 1
        float[] gh = affine ? random(c, 51) : null, bh = affine ? random(c, 52) : null;
        float[] rmh = random(c, 53), rvh = abs(random(c, 54));
        Pair x = up(be, xh), y = zeros(be, len), sm = zeros(be, c), si = zeros(be, c);
        Pair g = affine ? up(be, gh) : new Pair(null, null), b = affine ? up(be, bh) : new Pair(null, null);
        Pair rm = up(be, rmh), rv = up(be, rvh);
        be.batchNormForwardTrain(s, x.t(), g.t(), b.t(), rm.t(), rv.t(), y.t(), sm.t(), si.t());
        ref.batchNormForwardTrain(s, x.r(), g.r(), b.r(), rm.r(), rv.r(), y.r(), sm.r(), si.r());
        String what = "batch norm " + s + (affine ? "" : " (no affine)");
        float[] mean = get(sm.r()), invStd = get(si.r()), absMean = new float[c], mags = new float[len];
        long m = (long) s.n() * s.hw();
        for (int i = 0; i < len; i++) absMean[i / s.hw() % c] += Math.abs(xh[i]) / m;
        for (int i = 0; i < len; i++) {
            int ch = i / s.hw() % c;
            float gg = affine ? Math.abs(gh[ch]) : 1f, bb = affine ? Math.abs(bh[ch]) : 0f;
            mags[i] = gg * invStd[ch] * (Math.abs(xh[i]) + Math.abs(mean[ch])) + bb;
        }
        close(what + " y", y, mags);
        close(what + " saveMean", sm, absMean);
        close(what + " saveInvStd", si, invStd);
        float[] var = new float[c], rmMag = new float[c], rvMag = new float[c];
        for (int ch = 0; ch < c; ch++) {
            var[ch] = (float) ((1.0 / ((double) invStd[ch] * invStd[ch]) - s.eps()) * m / (m - 1));
            rmMag[ch] = (1 - s.momentum()) * Math.abs(rmh[ch]) + s.momentum() * absMean[ch];
            rvMag[ch] = (1 - s.momentum()) * rvh[ch] + s.momentum() * Math.abs(var[ch]);
        }
        close(what + " running_mean", rm, rmMag);
        close(what + " running_var", rv, rvMag);

        // eval mode with the updated running statistics
        Pair ye = zeros(be, len);
        be.batchNormForwardEval(s, x.t(), g.t(), b.t(), rm.t(), rv.t(), ye.t());
        ref.batchNormForwardEval(s, x.r(), g.r(), b.r(), rm.r(), rv.r(), ye.r());
        float[] rmNow = get(rm.r()), rvNow = get(rv.r());
        for (int i = 0; i < len; i++) {
            int ch = i / s.hw() % c;
            float gg = affine ? Math.abs(gh[ch]) : 1f, bb = affine ? Math.abs(bh[ch]) : 0f;
            mags[i] = gg / (float) Math.sqrt(rvNow[ch] + s.eps()) * (Math.abs(xh[i]) + Math.abs(rmNow[ch])) + bb;
        }
        close(what + " eval", ye, mags);

        // backward from the reference's saved statistics
        float[] dyh = random(len, 55);
        Pair dy = up(be, dyh), dx = zeros(be, len), dg = zeros(be, c), db = zeros(be, c);
        Pair smr = up(be, mean), sir = up(be, invStd);
        be.batchNormBackward(s, x.t(), dy.t(), g.t(), smr.t(), sir.t(), dx.t(), dg.t(), db.t());
        ref.batchNormBackward(s, x.r(), dy.r(), g.r(), smr.r(), sir.r(), dx.r(), dg.r(), db.r());
        float[] sumAbsDy = new float[c], sumAbsDyXhat = new float[c];
        for (int i = 0; i < len; i++) {
            int ch = i / s.hw() % c;
            float xhat = (xh[i] - mean[ch]) * invStd[ch];
            sumAbsDy[ch] += Math.abs(dyh[i]);
            sumAbsDyXhat[ch] += Math.abs(dyh[i] * xhat);
        }
        for (int i = 0; i < len; i++) {
            int ch = i / s.hw() % c;
            float k = (affine ? Math.abs(gh[ch]) : 1f) * invStd[ch], xhat = Math.abs((xh[i] - mean[ch]) * invStd[ch]);
            mags[i] = k * (Math.abs(dyh[i]) + sumAbsDy[ch] / m + xhat * sumAbsDyXhat[ch] / m);
        }
        close(what + " dx", dx, mags);
        close(what + " dgamma", dg, sumAbsDyXhat);
        close(what + " dbeta", db, sumAbsDy);
        // dgamma and dbeta are optional outputs
        Pair dx2 = zeros(be, len);
        be.batchNormBackward(s, x.t(), dy.t(), g.t(), smr.t(), sir.t(), dx2.t(), null, null);
        close(what + " dx without dgamma/dbeta", get(dx.r()), get(dx2.t()), mags);
    }

    // ---------------------------------------------------------------- softmax and loss

    @ParameterizedTest
    @MethodSource("backends")
    void softmaxAndLoss(String name) {
        // CIFAR-10, a width that is no multiple of any vector length, Tiny-ImageNet
        for (int cols : new int[]{10, 37, 200}) softmaxAndLoss(device(name), 128, cols);
    }

    private static void softmaxAndLoss(Backend be, int rows, int cols) {
        float[] xh = random(rows * cols, 60);
        for (int i = 0; i < xh.length; i++) xh[i] *= 8f;
        Pair x = up(be, xh), y = zeros(be, rows * cols);
        be.softmaxForward(rows, cols, x.t(), y.t());
        ref.softmaxForward(rows, cols, x.r(), y.r());
        float[] yr = get(y.r());
        close("softmax, " + cols + " classes", y, yr);
        float[] dyh = random(rows * cols, 61), mag = new float[rows * cols];
        Pair dy = up(be, dyh), dx = zeros(be, rows * cols);
        be.softmaxBackward(rows, cols, up(be, yr).t(), dy.t(), dx.t());
        ref.softmaxBackward(rows, cols, y.r(), dy.r(), dx.r());
        for (int r = 0; r < rows; r++) {
            float dot = 0;
            for (int j = 0; j < cols; j++) dot += Math.abs(dyh[r * cols + j] * yr[r * cols + j]);
            for (int j = 0; j < cols; j++) mag[r * cols + j] = yr[r * cols + j] * (Math.abs(dyh[r * cols + j]) + dot);
        }
        close("softmax backward, " + cols + " classes", dx, mag);

        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) labels[r] = (r * 7) % cols;
        Pair lab = up(be, labels), probs = zeros(be, rows * cols), loss = zeros(be, 1);
        be.softmaxCrossEntropyForward(rows, cols, x.t(), lab.t(), probs.t(), loss.t());
        ref.softmaxCrossEntropyForward(rows, cols, x.r(), lab.r(), probs.r(), loss.r());
        float lossMag = 0;
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int j = 0; j < cols; j++) max = Math.max(max, Math.abs(xh[r * cols + j]));
            lossMag += (2 * max + (float) Math.log(cols) + Math.abs(xh[r * cols + labels[r]])) / rows;
        }
        close("cross-entropy loss, " + cols + " classes", loss, new float[]{lossMag});
        float[] pr = get(probs.r());
        close("cross-entropy probs, " + cols + " classes", probs, pr);
        Pair dloss = up(be, new float[]{0.5f}), dl = zeros(be, rows * cols);
        be.softmaxCrossEntropyBackward(rows, cols, up(be, pr).t(), lab.t(), dloss.t(), dl.t());
        ref.softmaxCrossEntropyBackward(rows, cols, probs.r(), lab.r(), dloss.r(), dl.r());
        for (int i = 0; i < mag.length; i++) mag[i] = 0.5f / rows * (pr[i] + 1f);
        close("cross-entropy backward, " + cols + " classes", dl, mag);
    }

    // ---------------------------------------------------------------- channels and mixed op

    @ParameterizedTest
    @MethodSource("backends")
    void channels(String name) {
        Backend be = device(name);
        int n = 4, hw = 64;
        // concat of (n, 16) and (n, 24) channels into (n, 40), then the gradient split back with accumulation
        float[] a = random(n * 16 * hw, 70), d = random(n * 40 * hw, 71);
        Pair src = up(be, a), dst = up(be, d);
        ChannelCopySpec spec = new ChannelCopySpec(n, hw, 16, 0, 40, 24, 16);
        be.copyChannels(spec, src.t(), dst.t(), false);
        ref.copyChannels(spec, src.r(), dst.r(), false);
        assertArrayEquals(get(dst.r()), get(dst.t()), "copyChannels");
        ChannelCopySpec back = new ChannelCopySpec(n, hw, 40, 8, 16, 0, 16);
        be.copyChannels(back, dst.t(), src.t(), true);
        ref.copyChannels(back, dst.r(), src.r(), true);
        float[] mag = new float[a.length];
        float[] dr = get(dst.r());
        for (int b = 0; b < n; b++)
            for (int i = 0; i < 16 * hw; i++)
                mag[b * 16 * hw + i] = Math.abs(a[b * 16 * hw + i]) + Math.abs(dr[(b * 40 + 8) * hw + i]);
        close("copyChannels accumulate", src, mag);

        Pair x = up(be, random(n * 24 * hw, 72)), y = zeros(be, n * 24 * hw);
        be.channelShuffle(n, 24, hw, 4, x.t(), y.t());
        ref.channelShuffle(n, 24, hw, 4, x.r(), y.r());
        assertArrayEquals(get(y.r()), get(y.t()), "channelShuffle");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void mixedSum(String name) {
        Backend be = device(name);
        int ops = 8, len = 4 * 16 * 32 * 32 + 3;                   // the 8 DARTS candidates on a 16x32x32 edge
        float[][] xs = new float[ops][];
        Pair[] xp = new Pair[ops];
        for (int k = 0; k < ops; k++) xp[k] = up(be, xs[k] = random(len, 80 + k));
        float[] wh = random(ops, 90);
        Pair w = up(be, wh), y = zeros(be, len);
        be.mixedSumForward(Stream.of(xp).map(Pair::t).toArray(DeviceBuffer[]::new), w.t(), y.t());
        ref.mixedSumForward(Stream.of(xp).map(Pair::r).toArray(DeviceBuffer[]::new), w.r(), y.r());
        float[] mag = new float[len];
        for (int k = 0; k < ops; k++) for (int i = 0; i < len; i++) mag[i] += Math.abs(wh[k] * xs[k][i]);
        close("mixedSum", y, mag);

        float[] dyh = random(len, 91);
        Pair dy = up(be, dyh), dw = zeros(be, ops);
        Pair[] dxp = new Pair[ops];
        for (int k = 0; k < ops; k++) dxp[k] = k == 3 ? new Pair(null, null) : zeros(be, len);
        be.mixedSumBackward(Stream.of(xp).map(Pair::t).toArray(DeviceBuffer[]::new), w.t(), dy.t(),
                Stream.of(dxp).map(Pair::t).toArray(DeviceBuffer[]::new), dw.t());
        ref.mixedSumBackward(Stream.of(xp).map(Pair::r).toArray(DeviceBuffer[]::new), w.r(), dy.r(),
                Stream.of(dxp).map(Pair::r).toArray(DeviceBuffer[]::new), dw.r());
        float[] dwMag = new float[ops];
        for (int k = 0; k < ops; k++) {
            for (int i = 0; i < len; i++) dwMag[k] += Math.abs(xs[k][i] * dyh[i]);
            if (k == 3) continue;
            float[] m = new float[len];
            for (int i = 0; i < len; i++) m[i] = Math.abs(wh[k] * dyh[i]);
            close("mixedSum backward dx[" + k + "]", dxp[k], m);
        }
        close("mixedSum backward dweights", dw, dwMag);
    }

    // ---------------------------------------------------------------- optimizers

    @ParameterizedTest
    @MethodSource("backends")
    void sgd(String name) {
        Backend be = device(name);
        SgdSpec[] specs = {new SgdSpec(0.1f, 0f, 0f, 0f, false, true), new SgdSpec(0.1f, 0.9f, 0f, 5e-4f, false, true),
                new SgdSpec(0.05f, 0.9f, 0f, 5e-4f, true, false), new SgdSpec(0.05f, 0.9f, 0.1f, 0f, false, false)};
        int len = 36_003;
        for (SgdSpec s : specs) {
            float[] wh = random(len, 100), gh = random(len, 101), bh = random(len, 102);
            Pair w = up(be, wh), g = up(be, gh), buf = up(be, bh);
            be.sgdStep(s, w.t(), g.t(), buf.t());
            ref.sgdStep(s, w.r(), g.r(), buf.r());
            float[] wr = get(w.r()), wMag = new float[len], bMag = new float[len];
            for (int i = 0; i < len; i++) {
                float d = Math.abs(gh[i]) + Math.abs(s.weightDecay() * wh[i]);
                bMag[i] = s.momentum() * Math.abs(bh[i]) + d;
                wMag[i] = Math.abs(wr[i]) + Math.abs(wh[i] - wr[i]) + s.lr() * (d + s.momentum() * bMag[i]);
            }
            close("sgd w " + s, w, wMag);
            if (s.momentum() != 0f) close("sgd buffer " + s, buf, bMag);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void adam(String name) {
        Backend be = device(name);
        AdamSpec[] specs = {new AdamSpec(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1), new AdamSpec(3e-4f, 0.5f, 0.999f, 1e-8f, 1e-3f, 7)};
        int len = 36_003;
        for (AdamSpec s : specs) {
            float[] wh = random(len, 110), gh = random(len, 111), mh = random(len, 112), vh = abs(random(len, 113));
            Pair w = up(be, wh), g = up(be, gh), m = up(be, mh), v = up(be, vh);
            be.adamStep(s, w.t(), g.t(), m.t(), v.t());
            ref.adamStep(s, w.r(), g.r(), m.r(), v.r());
            float[] wr = get(w.r()), wMag = new float[len], mMag = new float[len], vMag = new float[len];
            for (int i = 0; i < len; i++) {
                float d = Math.abs(gh[i]) + Math.abs(s.weightDecay() * wh[i]);
                mMag[i] = s.beta1() * Math.abs(mh[i]) + (1 - s.beta1()) * d;
                vMag[i] = s.beta2() * vh[i] + (1 - s.beta2()) * d * d;
                wMag[i] = Math.abs(wr[i]) + Math.abs(wh[i] - wr[i]);
            }
            close("adam w " + s, w, wMag);
            close("adam m " + s, m, mMag);
            close("adam v " + s, v, vMag);
        }
    }

    // ---------------------------------------------------------------- argument checks

    /** One bad call: the text its IllegalArgumentException must contain, and the call. */
    private record Bad(String primitive, String mentions, java.util.function.Consumer<Backend> call) {
    }

    /** Every primitive with one wrong argument, on every backend and on the reference itself. */
    @TestFactory
    Stream<DynamicTest> argumentChecks() {
        List<Backend> all = new ArrayList<>(OPEN.values());
        TestDevices.cuda().forEach(n -> TestDevices.tryOpen(n).ifPresent(all::add));
        all.add(ref);
        return all.stream().flatMap(be -> badCalls().stream().map(bad -> DynamicTest.dynamicTest(
                be.name() + " " + be + ": " + bad.primitive(), rejects(be, bad))));
    }

    private static Executable rejects(Backend be, Bad bad) {
        return () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bad.call().accept(be),
                    bad.primitive() + " accepted a bad argument");
            assertTrue(e.getMessage().contains(bad.mentions()),
                    bad.primitive() + ": message \"" + e.getMessage() + "\" does not name \"" + bad.mentions() + "\"");
        };
    }

    private static DeviceBuffer f(Backend be, long n) {
        return be.allocateUninitialized(DType.F32, n);
    }

    private static DeviceBuffer i32(Backend be, long n) {
        return be.allocateUninitialized(DType.I32, n);
    }

    private static List<Bad> badCalls() {
        Conv2dSpec cs = Conv2dSpec.of(2, 4, 6, 6, 8, 3, 1, 1, 1, 1);
        Pool2dSpec ps = Pool2dSpec.of(2, 3, 6, 6, 2, 2, 0);
        BatchNormSpec bs = BatchNormSpec.of(2, 3, 4);
        BroadcastSpec bc = BroadcastSpec.of(new int[]{2, 3}, new int[]{3});
        SgdSpec sgd = new SgdSpec(0.1f, 0.9f, 0f, 0f, false, false);
        AdamSpec adam = new AdamSpec(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1);
        return List.of(
                new Bad("download", "download source", be -> be.download(f(be, 4), new float[5])),
                new Bad("download int", "must be I32", be -> be.download(f(be, 4), new int[4])),
                new Bad("copy dtypes", "copy between", be -> be.copy(f(be, 4), 0, i32(be, 4), 0, 4)),
                new Bad("copy range", "out of range", be -> be.copy(f(be, 4), 2, f(be, 4), 0, 4)),
                new Bad("fill", "fill destination", be -> be.fill(i32(be, 4), 1f)),
                new Bad("unary length", "y", be -> be.unary(UnaryOp.RELU, f(be, 4), f(be, 5))),
                new Bad("unary dtype", "x must be F32", be -> be.unary(UnaryOp.RELU, i32(be, 4), f(be, 4))),
                new Bad("unary null", "x is null", be -> be.unary(UnaryOp.RELU, null, f(be, 4))),
                new Bad("unary foreign", "belongs to backend", be -> be.unary(UnaryOp.RELU, otherBackendBuffer(be), f(be, 4))),
                new Bad("reluBackward", "dy", be -> be.reluBackward(f(be, 4), f(be, 3), f(be, 4))),
                new Bad("binary", "b has", be -> be.binary(BinaryOp.ADD, bc, f(be, 6), f(be, 6), f(be, 6))),
                new Bad("sumTo length", "y has", be -> be.sumTo(new int[]{2, 3}, f(be, 6), new int[]{1, 3}, f(be, 2))),
                new Bad("sumTo shapes", "sumTo", be -> be.sumTo(new int[]{2, 3}, f(be, 6), new int[]{2, 2}, f(be, 4))),
                new Bad("affine", "y", be -> be.affine(f(be, 4), f(be, 3), 1f, 0f)),
                new Bad("axpy", "y", be -> be.axpy(1f, f(be, 4), i32(be, 4))),
                new Bad("dot", "b has", be -> be.dot(f(be, 4), f(be, 3))),
                new Bad("sumOfSquares", "acc has", be -> be.sumOfSquares(f(be, 4), f(be, 2))),
                new Bad("clipByNorm", "y has", be -> be.clipByNorm(f(be, 1), 1f, f(be, 4), f(be, 3))),
                new Bad("clipByNorm sum", "sumOfSquares has", be -> be.clipByNorm(f(be, 2), 1f, f(be, 4), f(be, 4))),
                new Bad("argmaxRows", "out", be -> be.argmaxRows(2, 5, f(be, 10), i32(be, 6), 5)),
                new Bad("argmaxRows dtype", "out must be I32", be -> be.argmaxRows(2, 5, f(be, 10), f(be, 2), 0)),
                new Bad("countCorrect", "labels has", be -> be.countCorrect(2, 5, f(be, 10), i32(be, 3), i32(be, 1))),
                new Bad("countCorrect count", "count must be I32", be -> be.countCorrect(2, 5, f(be, 10), i32(be, 2), f(be, 1))),
                new Bad("gemm C", "C (", be -> be.gemm(false, false, 4, 4, 4, 1f, f(be, 16), 0, 4, f(be, 16), 0, 4, 0f, f(be, 15), 0, 4)),
                new Bad("gemm A dtype", "A must be F32", be -> be.gemm(false, false, 4, 4, 4, 1f, i32(be, 16), 0, 4, f(be, 16), 0, 4, 0f, f(be, 16), 0, 4)),
                new Bad("gemm ld", "B (", be -> be.gemm(false, true, 4, 4, 4, 1f, f(be, 16), 0, 4, f(be, 16), 0, 3, 0f, f(be, 16), 0, 4)),
                new Bad("conv2dForward", "w has", be -> be.conv2dForward(cs, f(be, cs.xLength()), f(be, cs.wLength() - 1), f(be, cs.yLength()))),
                new Bad("conv2dBackwardData", "dx has", be -> be.conv2dBackwardData(cs, f(be, cs.yLength()), f(be, cs.wLength()), f(be, cs.xLength() + 1))),
                new Bad("conv2dBackwardWeight", "dw must be F32", be -> be.conv2dBackwardWeight(cs, f(be, cs.xLength()), f(be, cs.yLength()), i32(be, cs.wLength()))),
                new Bad("maxPool2dForward", "argmax must be I32", be -> be.maxPool2dForward(ps, f(be, ps.xLength()), f(be, ps.yLength()), f(be, ps.yLength()))),
                new Bad("maxPool2dBackward", "dy has", be -> be.maxPool2dBackward(ps, f(be, 1), i32(be, ps.yLength()), f(be, ps.xLength()))),
                new Bad("avgPool2dForward", "y has", be -> be.avgPool2dForward(ps, f(be, ps.xLength()), f(be, ps.xLength()))),
                new Bad("avgPool2dBackward", "dx has", be -> be.avgPool2dBackward(ps, f(be, ps.yLength()), f(be, ps.yLength()))),
                new Bad("globalAvgPoolForward", "y has", be -> be.globalAvgPoolForward(2, 3, 4, f(be, 24), f(be, 5))),
                new Bad("globalAvgPoolBackward", "dx has", be -> be.globalAvgPoolBackward(2, 3, 4, f(be, 6), f(be, 23))),
                new Bad("batchNormForwardTrain pair", "gamma and beta", be -> be.batchNormForwardTrain(bs, f(be, 24), f(be, 3), null,
                        null, null, f(be, 24), f(be, 3), f(be, 3))),
                new Bad("batchNormForwardTrain", "saveInvStd", be -> be.batchNormForwardTrain(bs, f(be, 24), null, null,
                        f(be, 3), f(be, 3), f(be, 24), f(be, 3), f(be, 2))),
                new Bad("batchNormForwardEval", "running_var", be -> be.batchNormForwardEval(bs, f(be, 24), null, null,
                        f(be, 3), f(be, 4), f(be, 24))),
                new Bad("batchNormBackward", "dgamma", be -> be.batchNormBackward(bs, f(be, 24), f(be, 24), null, f(be, 3),
                        f(be, 3), f(be, 24), f(be, 4), null)),
                new Bad("softmaxForward", "y has", be -> be.softmaxForward(2, 5, f(be, 10), f(be, 9))),
                new Bad("softmaxBackward", "dy has", be -> be.softmaxBackward(2, 5, f(be, 10), f(be, 11), f(be, 10))),
                new Bad("softmaxCrossEntropyForward", "labels must be I32", be -> be.softmaxCrossEntropyForward(2, 5, f(be, 10),
                        f(be, 2), f(be, 10), f(be, 1))),
                new Bad("softmaxCrossEntropyForward label", "label 5 of row 1 is outside [0, 5)", be ->
                        be.softmaxCrossEntropyForward(2, 5, f(be, 10), be.upload(new int[]{4, 5}), f(be, 10), f(be, 1))),
                new Bad("softmaxCrossEntropyBackward", "dloss", be -> be.softmaxCrossEntropyBackward(2, 5, f(be, 10),
                        i32(be, 2), f(be, 2), f(be, 10))),
                new Bad("copyChannels", "dst has", be -> be.copyChannels(new ChannelCopySpec(2, 4, 3, 0, 5, 1, 2), f(be, 24),
                        f(be, 39), false)),
                new Bad("channelShuffle", "y has", be -> be.channelShuffle(2, 4, 3, 2, f(be, 24), f(be, 23))),
                new Bad("mixedSumForward weights", "weights has", be -> be.mixedSumForward(new DeviceBuffer[]{f(be, 8), f(be, 8)},
                        f(be, 3), f(be, 8))),
                new Bad("mixedSumForward xs", "xs[1]", be -> be.mixedSumForward(new DeviceBuffer[]{f(be, 8), f(be, 7)},
                        f(be, 2), f(be, 8))),
                new Bad("mixedSumBackward", "dxs[0]", be -> be.mixedSumBackward(new DeviceBuffer[]{f(be, 8), f(be, 8)},
                        f(be, 2), f(be, 8), new DeviceBuffer[]{f(be, 9), null}, null)),
                new Bad("sgdStep", "momentum buffer", be -> be.sgdStep(sgd, f(be, 8), f(be, 8), f(be, 7))),
                new Bad("sgdStep gradient", "g has", be -> be.sgdStep(sgd, f(be, 8), f(be, 9), f(be, 8))),
                new Bad("adamStep", "v has", be -> be.adamStep(adam, f(be, 8), f(be, 8), f(be, 8), f(be, 6))));
    }

    /** A buffer from a backend other than be. */
    private static DeviceBuffer otherBackendBuffer(Backend be) {
        return (be == ref ? OPEN.values().iterator().next() : ref).allocateUninitialized(DType.F32, 4);
    }
}
