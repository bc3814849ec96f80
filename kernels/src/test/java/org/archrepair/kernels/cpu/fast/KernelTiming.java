package org.archrepair.kernels.cpu.fast;

import org.archrepair.kernels.Backend;
import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.Pool2dSpec;
import org.archrepair.kernels.SgdSpec;
import org.archrepair.kernels.UnaryOp;
import org.archrepair.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Throwaway timing of the fast kernels for tuning (not a benchmark suite: the JMH suite with
 * PyTorch as peer lives in the bench module). Tagged "perf" and excluded from the default run;
 * run it with
 * <pre>mvn -q -pl kernels test -Dtest=KernelTiming -Dsurefire.failIfNoSpecifiedTests=false -Dperf.excluded=none</pre>
 * It prints the median of 7 timed repetitions (after warm-up) in ms and GFLOP/s, for 1 and 2
 * threads (and, for 1 thread, the median CPU time of the thread): SGEMM on square sizes and the
 * skinny shapes of convolution, the three convolution passes on the ResNet-20 layers at batch 128
 * with their sum over a training step, and the memory-bound primitives of a training step. Nothing
 * is asserted. On x86-64 the kernels pom runs it twice: at the preferred vector width and again
 * under -XX:UseAVX=2 (256-bit); -Dkernels.avx2.skip=true skips the second run.
 */
@Tag("perf")
class KernelTiming {

    private interface Body {
        void run();
    }

    /**
     * Seconds per run of body: {wall-clock median, median CPU time of the calling thread}, over 7
     * timed repetitions after warm-up. On one thread the CPU time does not count time spent
     * descheduled, so it is the robust number on a machine shared with other jobs. The warm-up
     * lasts at least a second: a shape that takes a branch the JIT had pruned for earlier shapes
     * deoptimizes, and its recompilation (slow on a busy machine) must not fall into the timing.
     */
    private static double[] time(Body body, double flops) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int reps = (int) Math.max(1, Math.min(50, 3e8 / flops));
        long warm = System.nanoTime();
        for (int i = 0; i < 3 || System.nanoTime() - warm < 1_000_000_000L; i++) body.run();
        double[] wall = new double[7], cpu = new double[7];
        for (int r = 0; r < wall.length; r++) {
            long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < reps; i++) body.run();
            wall[r] = (System.nanoTime() - t0) / 1e9 / reps;
            cpu[r] = (mx.getCurrentThreadCpuTime() - c0) / 1e9 / reps;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new double[]{wall[wall.length / 2], cpu[cpu.length / 2]};
    }

    private static float[] random(long n) {
        Random r = new Random(1);
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = 2 * r.nextFloat() - 1;
        return a;
    }

    private static void print(String what, int threads, double flops, double[] t) {
        String cpu = threads == 1 ? String.format(Locale.ROOT, "   (thread CPU %8.3f ms %6.1f GFLOP/s)", t[1] * 1e3,
                flops / t[1] / 1e9) : "";
        System.out.printf(Locale.ROOT, "%-34s %d thr %9.3f ms %7.1f GFLOP/s%s%n", what, threads, t[0] * 1e3,
                flops / t[0] / 1e9, cpu);
    }

    @Test
    void sgemm() {
        int[][] shapes = {{256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024}, {2048, 2048, 2048},
                {16, 131072, 144}, {32, 32768, 288}, {64, 8192, 576}};
        for (int threads : new int[]{1, 2})
            try (Parallel par = new Parallel(threads)) {
                for (int[] s : shapes) {
                    int m = s[0], n = s[1], k = s[2];
                    float[] a = random((long) m * k), b = random((long) k * n), c = new float[m * n];
                    double flops = 2.0 * m * n * k;
                    print("sgemm " + m + "x" + n + "x" + k, threads, flops,
                            time(() -> Sgemm.gemm(par, false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n), flops));
                }
            }
    }

    /**
     * The three passes of each ResNet-20 convolution at batch 128, and their sum over the 19
     * convolutions of one training step (stem once, 6 + 5 + 5 stage convolutions, two stride-2
     * transitions; the stem's backward data counted too, as in earlier figures): 1 thread by the
     * thread's CPU time, 2 threads by wall time.
     */
    @Test
    void resnet20Convolutions() {
        int batch = Integer.getInteger("timing.batch", 128);
        Conv2dSpec[] layers = {
                Conv2dSpec.of(batch, 3, 32, 32, 16, 3, 1, 1, 1, 1),
                Conv2dSpec.of(batch, 16, 32, 32, 16, 3, 1, 1, 1, 1),
                Conv2dSpec.of(batch, 16, 32, 32, 32, 3, 2, 1, 1, 1),
                Conv2dSpec.of(batch, 32, 16, 16, 32, 3, 1, 1, 1, 1),
                Conv2dSpec.of(batch, 32, 16, 16, 64, 3, 2, 1, 1, 1),
                Conv2dSpec.of(batch, 64, 8, 8, 64, 3, 1, 1, 1, 1)};
        int[] perStep = {1, 6, 1, 5, 1, 5};
        for (int threads : new int[]{1, 2})
            try (Parallel par = new Parallel(threads)) {
                double[] step = new double[3];       // forward, backward data, backward weight (ms)
                for (int l = 0; l < layers.length; l++) {
                    Conv2dSpec s = layers[l];
                    float[] x = random(s.xLength()), w = random(s.wLength()), y = new float[(int) s.yLength()];
                    float[] dx = new float[x.length], dw = new float[w.length];
                    double flops = 2.0 * s.macs();
                    String name = s.c() + "->" + s.k() + " " + s.h() + "x" + s.w() + " s" + s.strideH();
                    double[][] t = {time(() -> ConvFast.forward(par, s, x, w, y), flops),
                            time(() -> ConvFast.backwardData(par, s, y, w, dx), flops),
                            time(() -> ConvFast.backwardWeight(par, s, x, y, dw), flops)};
                    String[] pass = {"conv fwd  ", "conv bwdD ", "conv bwdW "};
                    for (int i = 0; i < 3; i++) {
                        print(pass[i] + name, threads, flops, t[i]);
                        step[i] += perStep[l] * (threads == 1 ? t[i][1] : t[i][0]) * 1e3;
                    }
                }
                System.out.printf(Locale.ROOT, "ResNet-20 step, 19 convs, %d thr (%s): %.1f ms = fwd %.1f + bwdD %.1f + bwdW %.1f%n",
                        threads, threads == 1 ? "thread CPU" : "wall", step[0] + step[1] + step[2], step[0], step[1], step[2]);
            }
    }

    /** The memory-bound primitives of a ResNet-20 step on its largest activation, (128, 16, 32, 32). */
    @Test
    void trainingStepPrimitives() {
        int n = 128, c = 16, hw = 1024, len = n * c * hw;
        for (CpuBackend be : new CpuBackend[]{CpuBackend.reference(), CpuBackend.fast(1), CpuBackend.fast(2)})
            try (be) {
                String tag = be.isFast() ? "fast" : "reference";
                DeviceBuffer x = be.upload(random(len)), y = be.allocateUninitialized(DType.F32, len), dy = be.upload(random(len));
                DeviceBuffer dx = be.allocateUninitialized(DType.F32, len), g = be.upload(random(c)), b = be.upload(random(c));
                DeviceBuffer rm = be.allocateZeroed(DType.F32, c), rv = be.allocateZeroed(DType.F32, c), sm = be.allocateUninitialized(DType.F32, c);
                DeviceBuffer si = be.allocateUninitialized(DType.F32, c), dg = be.allocateUninitialized(DType.F32, c), db = be.allocateUninitialized(DType.F32, c);
                BatchNormSpec bn = BatchNormSpec.of(n, c, hw);
                BroadcastSpec bc = BroadcastSpec.of(new int[]{n, c, 32, 32}, new int[]{1, c, 1, 1});
                Pool2dSpec pool = Pool2dSpec.of(n, c, 32, 32, 3, 1, 1);
                DeviceBuffer am = be.allocateUninitialized(DType.I32, pool.yLength());
                report(tag + " batchnorm train", be, () -> be.batchNormForwardTrain(bn, x, g, b, rm, rv, y, sm, si));
                report(tag + " batchnorm backward", be, () -> be.batchNormBackward(bn, x, dy, g, sm, si, dx, dg, db));
                report(tag + " relu", be, () -> be.unary(UnaryOp.RELU, x, y));
                report(tag + " relu backward", be, () -> be.reluBackward(x, dy, dx));
                report(tag + " add channel bias", be, () -> be.binary(BinaryOp.ADD, bc, x, g, y));
                report(tag + " sumTo channels", be, () -> be.sumTo(new int[]{n, c, 32, 32}, x, new int[]{1, c, 1, 1}, g));
                report(tag + " max pool 3x3 s1", be, () -> be.maxPool2dForward(pool, x, y, am));
                report(tag + " avg pool 3x3 s1", be, () -> be.avgPool2dForward(pool, x, y));
                report(tag + " sgd momentum", be, () -> be.sgdStep(new SgdSpec(0.1f, 0.9f, 0f, 5e-4f, false, false), x, dy, y));
            }
    }

    private static void report(String what, Backend be, Body body) {
        double[] t = time(body, 2e7);
        System.out.printf(Locale.ROOT, "%-60s %9.3f ms (thread CPU %8.3f ms)%n", what + " (" + be + ")", t[0] * 1e3,
                t[1] * 1e3);
    }
}
