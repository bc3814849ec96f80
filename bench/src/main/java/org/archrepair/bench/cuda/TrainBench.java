package org.archrepair.bench.cuda;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.optim.Sgd;
import org.archrepair.kernels.cuda.CudaBackend;
import org.archrepair.kernels.cuda.CudaUnavailableException;
import org.archrepair.models.Models;
import org.archrepair.models.Network;

import java.util.List;
import java.util.Map;

/**
 * A training step of ResNet-18 (CIFAR, batch 128, fp32) as Trainer runs it: forward in training mode,
 * mean cross-entropy, gradients of every parameter, SGD (momentum, weight decay), the loss read back
 * (which waits for the device). The same fixed random batch every step; no data loading. Reported:
 * the median step, images/s, the loss at the first and last step (it must fall), and the device
 * memory of the caching allocator (driver allocations after warm-up; with buffers returned only by
 * the garbage collector, memory is not flat, see RESULTS.md).
 */
final class TrainBench {
    private final Map<String, Object> train;
    private final Results out;
    private final boolean quick;

    TrainBench(Map<String, Object> cases, Results out, boolean quick) {
        this.train = CudaBench.map(cases, "train");
        this.out = out;
        this.quick = quick;
    }

    void run() {
        for (Variant v : Variant.ALL) {
            try (CudaBackend be = v.open()) {
                step(be, v);
            } catch (CudaUnavailableException e) {
                out.add(Results.record("side", "ours", "variant", v.label(), "kind", "unavailable", "reason", e.getMessage()));
            }
        }
    }

    private void step(CudaBackend be, Variant v) {
        int batch = quick ? 2 : CudaBench.integer(train, "batch"), classes = CudaBench.integer(train, "classes");
        int warmup = quick ? 1 : CudaBench.integer(train, "warmup"), steps = quick ? 2 : CudaBench.integer(train, "steps");
        Rng rng = new Rng(1);
        Network net = Models.create((String) train.get("model"), new Init(be, rng.fork("init")), classes);
        net.train(true);
        List<Tensor> params = net.parameters();
        Sgd sgd = new Sgd(params, CudaBench.number(train, "lr"), CudaBench.number(train, "momentum"),
                CudaBench.number(train, "weight_decay"), false);
        Rng data = rng.fork("data");
        Tensor x = Tensor.of(be, data.normal(batch * 3 * 32 * 32, 1f), batch, 3, 32, 32);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = data.nextInt(classes);
        Tensor y = Tensor.ofInts(be, labels, batch);
        double[] ms = new double[steps];
        float first = Float.NaN, last = Float.NaN;
        long allocationsAfterWarmup = 0;
        for (int i = 0; i < warmup + steps; i++) {
            long t0 = System.nanoTime();
            Tensor loss = Ops.crossEntropy(net.forward(x), y);
            sgd.step(Autograd.grad(loss, params));
            float l = loss.item();
            double t = (System.nanoTime() - t0) / 1e6;
            if (i == 0) first = l;
            last = l;
            if (i == warmup - 1) allocationsAfterWarmup = be.memoryStats().driverAllocations();
            if (i >= warmup) ms[i - warmup] = t;
        }
        double median = Results.median(ms);
        CudaBackend.MemoryStats mem = be.memoryStats();
        out.add(Results.record("side", "ours", "variant", v.label(), "kind", "train", "case",
                train.get("model") + " batch " + batch, "ms", median, "min_ms", ms[0], "images_per_s", batch / median * 1000,
                "loss_first", (double) first, "loss_last", (double) last, "peak_reserved_mib", mem.peakReservedBytes() / 1048576.0,
                "driver_allocations_after_warmup", allocationsAfterWarmup, "driver_allocations_end", mem.driverAllocations(),
                "describe", be.describe()));
    }
}
