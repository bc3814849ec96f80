package org.archrepair.kernels.cpu.fast;

import java.util.Arrays;
import java.util.Random;

public class ScratchBwdW {
    interface B { void run(); }
    static void t(String what, B b) {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] cpu = new double[11];
        for (int rep = -5; rep < cpu.length; rep++) {
            long c0 = mx.getCurrentThreadCpuTime();
            b.run();
            if (rep >= 0) cpu[rep] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(cpu);
        System.out.printf("%-30s cpu-median %.3f ms%n", what, cpu[5]);
    }
    public static void main(String[] args) {
        int n = 128, c = 16, h = 32, k = 16, pq = 1024;
        float[] x = new float[n * c * h * h], dy = new float[n * k * pq];
        Random r = new Random(1); for (int i = 0; i < x.length; i++) x[i] = r.nextFloat(); for (int i = 0; i < dy.length; i++) dy[i] = r.nextFloat();
        Scratch s = new Scratch();
        Im2colT col = new Im2colT(c, h, h, 3, 3, 32, 32, 1, 1, 1, 1, 1, 1, s);
        t("images (NHWC copies)", () -> { for (int img = 0; img < n; img++) col.images(x, img, 1, c, 0, s); });
        float[] ap = new float[Sgemm.packedLength(k, pq)];
        t("pack dy", () -> { for (int img = 0; img < n; img++) Sgemm.packA(Im2colT.gradients(dy, img, k, 0, pq), k, pq, ap, 0, 0, 1); });
        t("depth offsets", () -> { for (int img = 0; img < n; img++) col.depthOffsets(1, s); });
        float[] dw = new float[k * 144];
        col.images(x, 0, 1, c, 0, s);
        int[] rows = col.depthOffsets(1, s).clone(), cols = col.halfOffsets(144, s).clone();
        float[] src = col.source().clone();
        t("kernel only", () -> { for (int img = 0; img < n; img++) Sgemm.multiplyDirect(ap, 0, k, pq, src, rows, cols, 144, dw, 0, 144, img > 0, s); });
    }
}
