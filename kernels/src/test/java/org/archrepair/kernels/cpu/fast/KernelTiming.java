package org.archrepair.kernels.cpu.fast;

import org.archrepair.kernels.Conv2dSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Throwaway timing of the fast kernels for tuning (not a benchmark suite: the JMH suite with
 * PyTorch as peer lives in the bench module). Tagged "perf" and excluded from the default run;
 * run it with
 * <pre>mvn -q -pl kernels test -Dtest=KernelTiming -Dsurefire.failIfNoSpecifiedTests=false -Dperf.excluded=none</pre>
 * It prints the median of 7 timed repetitions (after warm-up) in ms and GFLOP/s, for 1 and 2
 * threads: SGEMM on square sizes and the skinny shapes of convolution, and the three convolution
 * passes on the ResNet-20 layers at batch 128. Nothing is asserted.
 */
@Tag("perf")
class KernelTiming {

    private interface Body {
        void run();
    }

    /** Median seconds of one run of body. */
    private static double time(Body body, double flops) {
        int reps = (int) Math.max(1, Math.min(50, 3e8 / flops));
        for (int i = 0; i < 3; i++) body.run();
        double[] t = new double[7];
        for (int r = 0; r < t.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) body.run();
            t[r] = (System.nanoTime() - t0) / 1e9 / reps;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    private static float[] random(long n) {
        Random r = new Random(1);
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = 2 * r.nextFloat() - 1;
        return a;
    }

    private static void print(String what, int threads, double flops, double seconds) {
        System.out.printf(Locale.ROOT, "%-44s %d thr %9.3f ms %7.1f GFLOP/s%n", what, threads, seconds * 1e3,
                flops / seconds / 1e9);
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
                    double t = time(() -> Sgemm.gemm(par, false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n), flops);
                    print("sgemm " + m + "x" + n + "x" + k, threads, flops, t);
                }
            }
    }

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
        for (int threads : new int[]{1, 2})
            try (Parallel par = new Parallel(threads)) {
                for (Conv2dSpec s : layers) {
                    float[] x = random(s.xLength()), w = random(s.wLength()), y = new float[(int) s.yLength()];
                    float[] dx = new float[x.length], dw = new float[w.length];
                    double flops = 2.0 * s.macs();
                    String name = s.c() + "->" + s.k() + " " + s.h() + "x" + s.w() + " s" + s.strideH();
                    print("conv fwd  " + name, threads, flops, time(() -> ConvFast.forward(par, s, x, w, y), flops));
                    print("conv bwdD " + name, threads, flops, time(() -> ConvFast.backwardData(par, s, y, w, dx), flops));
                    print("conv bwdW " + name, threads, flops, time(() -> ConvFast.backwardWeight(par, s, x, y, dw), flops));
                }
            }
    }
}
