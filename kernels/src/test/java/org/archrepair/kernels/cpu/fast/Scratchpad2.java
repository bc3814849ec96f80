package org.archrepair.kernels.cpu.fast;

import org.archrepair.kernels.BatchNormSpec;
import java.util.Arrays;
import java.util.Random;

public class Scratchpad2 {
    interface B { void run(); }
    static void t(String what, B b) {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] cpu = new double[21];
        for (int rep = -20; rep < cpu.length; rep++) {
            long c0 = mx.getCurrentThreadCpuTime();
            b.run();
            if (rep >= 0) cpu[rep] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(cpu);
        System.out.printf("%-30s cpu-median %.3f ms min %.3f%n", what, cpu[10], cpu[0]);
    }
    public static void main(String[] args) {
        int n = 128, c = 16, hw = 1024, len = n * c * hw;
        float[] x = new float[len]; Random r = new Random(1); for (int i = 0; i < len; i++) x[i] = r.nextFloat();
        float[] y = new float[len], dy = x.clone(), dx = new float[len];
        float[] g = new float[c], b = new float[c], rm = new float[c], rv = new float[c], sm = new float[c], si = new float[c], dg = new float[c], db = new float[c];
        Arrays.fill(g, 1f);
        BatchNormSpec s = BatchNormSpec.of(n, c, hw);
        try (Parallel par = new Parallel(1)) {
            t("bn train", () -> BatchNormFast.forwardTrain(par, s, x, g, b, rm, rv, y, sm, si));
            t("bn backward", () -> BatchNormFast.backward(par, s, x, dy, g, sm, si, dx, dg, db));
            t("sums.sum whole", () -> Sums.sum(x, 0, len));
            double[] mom = new double[2];
            t("shiftedMoments whole", () -> Sums.shiftedMoments(x, 0, len, 0.5f, mom));
            t("relu", () -> ElementwiseFast.unary(par, org.archrepair.kernels.UnaryOp.RELU, x, y));
            t("ref bn train", () -> org.archrepair.kernels.cpu.ref.BatchNormRef.forwardTrain(s, x, g, b, rm, rv, y, sm, si));
        }
    }
}
