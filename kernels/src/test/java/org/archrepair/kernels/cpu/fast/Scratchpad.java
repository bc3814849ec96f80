package org.archrepair.kernels.cpu.fast;

import org.archrepair.kernels.Conv2dSpec;
import java.util.Arrays;
import java.util.Random;

public class Scratchpad {
    public static void main(String[] args) {
        int c = Integer.parseInt(args[0]), h = Integer.parseInt(args[1]), k = Integer.parseInt(args[2]), stride = Integer.parseInt(args[3]);
        String what = args[4]; int threads = Integer.parseInt(args[5]);
        Conv2dSpec s = Conv2dSpec.of(128, c, h, h, k, 3, stride, 1, 1, 1);
        float[] x = rnd(s.xLength()), w = rnd(s.wLength()), y = rnd(s.yLength()), dx = new float[x.length], dw = new float[w.length];
        try (Parallel par = new Parallel(threads)) {
            double[] t = new double[15], cpu = new double[15];
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int rep = -5; rep < t.length; rep++) {
                long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
                switch (what) {
                    case "f" -> ConvFast.forward(par, s, x, w, y);
                    case "d" -> ConvFast.backwardData(par, s, y, w, dx);
                    default -> ConvFast.backwardWeight(par, s, x, y, dw);
                }
                if (rep >= 0) { t[rep] = (System.nanoTime() - t0) / 1e6; cpu[rep] = (mx.getCurrentThreadCpuTime() - c0) / 1e6; }
            }
            Arrays.sort(t); Arrays.sort(cpu);
            double gf = 2.0 * s.macs() / 1e6;
            System.out.printf("%s %s min %.2f ms (%.1f GF/s) median %.2f ms (%.1f GF/s) cpu-median %.2f ms (%.1f GF/s)%n", s, what, t[0], gf / t[0], t[7], gf / t[7], cpu[7], gf / cpu[7]);
        }
    }
    static float[] rnd(long n) { Random r = new Random(1); float[] a = new float[(int) n]; for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f; return a; }
}
