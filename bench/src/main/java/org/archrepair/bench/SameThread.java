package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.optim.Sgd;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.Network;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Ours against PyTorch on ONE thread, in one JVM, timed by the calling thread's CPU time instead
 * of the wall clock: the comparison that still holds on a machine shared with other jobs (a
 * thread's CPU time does not count the time it waits for a core). PyTorch runs with one intra-op
 * thread, so its work runs on the calling thread too; the harness checks that by comparing the
 * process's CPU time with the thread's over each measurement (the JIT and GC threads add a few
 * percent to both sides' process time; a ratio far above 1 would mean work elsewhere, and the
 * row is flagged). The two sides alternate in rounds (ours, PyTorch, ours, ...), each round long
 * enough to cover several calls; the medians of the rounds and the median of the per-round ratios
 * are printed.
 *
 * <p>What this is not: the multi-threaded comparison (CPU time says nothing about scaling; that
 * is JMH's wall clock in {@code bench/run.sh}), nor a replacement for JMH's forks (both engines
 * share this JVM's heap and JIT). Caches are shared with whatever else runs on the core, so a
 * loaded machine still costs both sides a few percent.
 *
 * <pre>java @jvm.options -cp bench/target/benchmarks.jar org.archrepair.bench.SameThread [cases...] [--rounds N]</pre>
 * Cases: {@code gemm-1024}, the ConvBench layer names ({@code r20-16x32x32}, ...; forward +
 * backward data + backward weight against PyTorch's forward + autograd backward), {@code train-r20}
 * (ResNet-20 training step, batch 128), {@code infer-r20} (inference, batch 256), or {@code all}.
 */
public final class SameThread {
    private SameThread() {
    }

    /** One side of a case: runs one operation. */
    private interface Op {
        void run();
    }

    private record Case(String name, Op ours, Op pytorch, AutoCloseable resources) {
    }

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        List<String> cases = new ArrayList<>();
        int rounds = 7;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds")) rounds = Integer.parseInt(args[++i]);
            else cases.add(args[i]);
        }
        if (cases.isEmpty() || cases.contains("all"))
            cases = List.of("gemm-1024", "r20-16x32x32", "r20-32x16x16", "r20-64x8x8", "r20-16x32x32-s2",
                    "r20-32x16x16-s2", "train-r20", "infer-r20");
        Forks.requireJvmFlags();
        System.out.println("load before: " + load());
        try (Torch torch = Torch.start(1); CpuBackend ours = CpuBackend.fast(1)) {
            System.out.println(torch.version() + " (1 intra-op thread) vs ours " + ours + ", "
                    + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED);
            System.out.println("| case | ours ms | PyTorch ms | PyTorch/ours | process/thread CPU ours, PyTorch |");
            System.out.println("|---|---|---|---|---|");
            for (String name : cases) {
                Case c = build(name, torch, ours);
                try (AutoCloseable r = c.resources()) {
                    measure(c, rounds);
                }
            }
        }
        System.out.println("load after: " + load());
    }

    private static void measure(Case c, int rounds) {
        double[] ours = new double[rounds], torch = new double[rounds], ratio = new double[rounds];
        double[] procOurs = new double[rounds], procTorch = new double[rounds];
        for (int w = 0; w < 3; w++) {        // warm-up: about 2 s of each side, alternating
            time(c.ours(), 0.7, null);
            time(c.pytorch(), 0.7, null);
        }
        for (int r = 0; r < rounds; r++) {
            double[] p = new double[1];
            ours[r] = time(c.ours(), 0.5, p);
            procOurs[r] = p[0];
            torch[r] = time(c.pytorch(), 0.5, p);
            procTorch[r] = p[0];
            ratio[r] = torch[r] / ours[r];
        }
        double po = median(procOurs), pt = median(procTorch);
        System.out.printf(Locale.ROOT, "| %s | %.3g | %.3g | %.2f (%.2f-%.2f) | %.2f, %.2f%s |%n", c.name(), median(ours),
                median(torch), median(ratio), min(ratio), max(ratio), po, pt, pt > 1.3 || po > 1.3 ? " CHECK" : "");
    }

    /** Thread CPU ms per call over calls worth at least minSeconds of CPU; proc[0] = process / thread CPU. */
    private static double time(Op op, double minSeconds, double[] proc) {
        long t0 = MX.getCurrentThreadCpuTime(), p0 = OS.getProcessCpuTime(), t = t0;
        int calls = 0;
        do {
            op.run();
            calls++;
            t = MX.getCurrentThreadCpuTime();
        } while (t - t0 < minSeconds * 1e9);
        if (proc != null) proc[0] = (double) (OS.getProcessCpuTime() - p0) / (t - t0);
        return (t - t0) / 1e6 / calls;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElse(Double.NaN);
    }

    private static Case build(String name, Torch torch, CpuBackend ours) throws IOException {
        if (name.startsWith("gemm-")) return gemm(Integer.parseInt(name.substring(5)), torch, ours);
        if (name.equals("train-r20")) return trainResNet20(128, torch, ours);
        if (name.equals("infer-r20")) return inferResNet20(256, torch, ours);
        return conv(name, torch, ours);
    }

    private static Case gemm(int n, Torch torch, CpuBackend ours) {
        float[] ha = Data.gaussian(1, n * n, 1f), hb = Data.gaussian(2, n * n, 1f);
        DeviceBuffer a = ours.upload(ha), b = ours.upload(hb), c = ours.allocateUninitialized(DType.F32, (long) n * n);
        NDArray ta = torch.array(ha, n, n), tb = torch.array(hb, n, n);
        return new Case("gemm-" + n, () -> ours.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n), () -> {
            try (NDArray y = ta.matMul(tb)) {
                y.getShape();
            }
        }, () -> {
            ta.close();
            tb.close();
        });
    }

    /** Ours: forward, backward data, backward weight; PyTorch: forward + autograd backward (dx and dw). */
    private static Case conv(String layer, Torch torch, CpuBackend ours) {
        Conv2dSpec s = Layers.conv(layer);
        float[] hx = Data.gaussian(1, (int) s.xLength(), 1f), hw = Data.gaussian(2, (int) s.wLength(), 0.1f);
        float[] hdy = Data.gaussian(3, (int) s.yLength(), 1f);
        DeviceBuffer x = ours.upload(hx), w = ours.upload(hw), dy = ours.upload(hdy);
        DeviceBuffer y = ours.allocateUninitialized(DType.F32, s.yLength());
        DeviceBuffer dx = ours.allocateUninitialized(DType.F32, s.xLength());
        DeviceBuffer dw = ours.allocateUninitialized(DType.F32, s.wLength());
        NDArray tx = torch.array(hx, s.n(), s.c(), s.h(), s.w()), tw = torch.array(hw, s.k(), s.c() / s.groups(), s.r(), s.s());
        NDArray tdy = torch.array(hdy, s.n(), s.k(), s.p(), s.q());
        return new Case(layer, () -> {
            ours.conv2dForward(s, x, w, y);
            ours.conv2dBackwardData(s, dy, w, dx);
            ours.conv2dBackwardWeight(s, x, dy, dw);
        }, () -> {
            try (NDManager scope = torch.scope()) {
                NDArray lx = Torch.leaf(tx, scope), lw = Torch.leaf(tw, scope);
                torch.forwardBackward(() -> Torch.conv2d(s, lx, lw), tdy);
                lx.getGradient().getShape();
            }
        }, () -> {
            tx.close();
            tw.close();
            tdy.close();
        });
    }

    /** The step of {@code TrainStepBench} on both sides. */
    private static Case trainResNet20(int batch, Torch torch, CpuBackend ours) throws IOException {
        ImageBatch data = ImageBatch.cifar10OrRandom(batch);
        Network net = Peers.ours(ours);
        net.train(true);
        List<Tensor> parameters = net.parameters();
        Sgd sgd = new Sgd(parameters, Peers.LR, Peers.MOMENTUM, Peers.WEIGHT_DECAY, false);
        Tensor x = Tensor.of(ours, data.images(), batch, ImageBatch.CHANNELS, ImageBatch.SIDE, ImageBatch.SIDE);
        Tensor labels = Tensor.ofInts(ours, data.labels(), batch);
        TorchResNet20 model = Peers.pytorch(torch);
        TorchSgd torchSgd = new TorchSgd(torch, model.parameters(), Peers.LR, Peers.MOMENTUM,
                Peers.WEIGHT_DECAY);
        NDArray tx = torch.array(data.images(), data.shape()), tlabels = torch.indices(data.labels(), batch, 1);
        return new Case("train-r20 (batch " + batch + ")", () -> {
            Tensor l = Ops.crossEntropy(net.forward(x), labels);
            sgd.step(Autograd.grad(l, parameters));
            l.item();
        }, () -> {
            try (NDManager scope = torch.scope()) {
                TorchNet.Step step = model.lossAndGradients(torch, scope, tx, tlabels);
                torchSgd.step(step.gradients());
                step.loss().getFloat();
            }
        }, () -> {
            torchSgd.close();
            model.close();
            tx.close();
            tlabels.close();
        });
    }

    private static Case inferResNet20(int batch, Torch torch, CpuBackend ours) throws IOException {
        ImageBatch data = ImageBatch.cifar10OrRandom(batch);
        Network net = Peers.ours(ours);
        net.eval();
        Tensor x = Tensor.of(ours, data.images(), batch, ImageBatch.CHANNELS, ImageBatch.SIDE, ImageBatch.SIDE);
        TorchResNet20 model = Peers.pytorch(torch);
        NDArray tx = torch.array(data.images(), data.shape());
        return new Case("infer-r20 (batch " + batch + ")", () -> {
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                net.forward(x);
            }
        }, () -> {
            try (NDManager scope = torch.scope()) {
                model.predict(scope, tx).getShape();
            }
        }, () -> {
            model.close();
            tx.close();
        });
    }

    private static String load() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return "load average " + f[0] + " (1 min), " + f[1] + " (5 min) on " + Runtime.getRuntime().availableProcessors() + " cores";
    }
}
