package org.archrepair.bench.cuda;

import org.archrepair.engine.Rng;
import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.cuda.CudaBackend;
import org.archrepair.kernels.cuda.CudaUnavailableException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Our kernels on the cases of cases.json: each convolution's three passes under every variant
 * (custom/cuDNN, TF32 off/on), batch norm (training forward, and forward + backward) and the DARTS
 * mixed sum (forward, and forward + backward) on the default variant. Each measurement: warm-up
 * calls, then reps calls each timed by CUDA events around it; the median is reported.
 */
final class KernelBench {
    private final Map<String, Object> cases;
    private final Results out;
    private final int batch, warmup, reps;
    private final Rng rng = new Rng(1);

    KernelBench(Map<String, Object> cases, Results out, boolean quick) {
        this.cases = cases;
        this.out = out;
        Map<String, Object> timing = CudaBench.map(cases, "timing");
        this.batch = quick ? 2 : CudaBench.integer(cases, "batch");
        this.warmup = quick ? 0 : CudaBench.integer(timing, "warmup");
        this.reps = quick ? 1 : CudaBench.integer(timing, "reps");
    }

    void run() {
        for (Variant v : Variant.ALL) {
            CudaBackend be;
            try {
                be = v.open();
            } catch (CudaUnavailableException e) {
                out.add(Results.record("side", "ours", "variant", v.label(), "kind", "unavailable", "reason", e.getMessage()));
                continue;
            }
            try (be) {
                out.add(Results.record("side", "ours", "variant", v.label(), "kind", "device", "describe", be.describe()));
                for (Map<String, Object> c : CudaBench.list(cases, "conv")) conv(be, v, c);
                if (!v.cudnn() && !v.tf32()) {
                    for (Map<String, Object> c : CudaBench.list(cases, "batchnorm")) batchNorm(be, v, c);
                    for (Map<String, Object> c : CudaBench.list(cases, "mixed")) mixed(be, v, c);
                }
            }
        }
    }

    private DeviceBuffer random(CudaBackend be, long n) {
        return be.upload(rng.normal(Math.toIntExact(n), 1f));
    }

    private void time(CudaBackend be, Variant v, String kind, String name, String pass, double flops, Runnable op) {
        for (int i = 0; i < warmup; i++) be.timeMillis(op);
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) ms[i] = be.timeMillis(op);
        double median = Results.median(ms);
        out.add(Results.record("side", "ours", "variant", v.label(), "kind", kind, "case", name, "pass", pass,
                "ms", median, "min_ms", ms[0], "gflops", flops > 0 ? flops / median / 1e6 : 0.0));
    }

    private void conv(CudaBackend be, Variant v, Map<String, Object> c) {
        Conv2dSpec s = Conv2dSpec.of(batch, CudaBench.integer(c, "c"), CudaBench.integer(c, "h"), CudaBench.integer(c, "w"),
                CudaBench.integer(c, "k"), CudaBench.integer(c, "r"), CudaBench.integer(c, "stride"),
                CudaBench.integer(c, "pad"), CudaBench.integer(c, "dil"), CudaBench.integer(c, "groups"));
        String name = (String) c.get("name");
        DeviceBuffer x = random(be, s.xLength()), w = random(be, s.wLength()), dy = random(be, s.yLength());
        DeviceBuffer y = be.allocateUninitialized(DType.F32, s.yLength()), dx = be.allocateUninitialized(DType.F32, s.xLength());
        DeviceBuffer dw = be.allocateUninitialized(DType.F32, s.wLength());
        double flops = 2.0 * s.macs();
        time(be, v, "conv", name, "forward", flops, () -> be.conv2dForward(s, x, w, y));
        time(be, v, "conv", name, "backward_data", flops, () -> be.conv2dBackwardData(s, dy, w, dx));
        time(be, v, "conv", name, "backward_weight", flops, () -> be.conv2dBackwardWeight(s, x, dy, dw));
        for (DeviceBuffer b : List.of(x, w, dy, y, dx, dw)) b.release();
    }

    private void batchNorm(CudaBackend be, Variant v, Map<String, Object> c) {
        BatchNormSpec s = BatchNormSpec.of(batch, CudaBench.integer(c, "c"), CudaBench.integer(c, "h") * CudaBench.integer(c, "w"));
        String name = (String) c.get("name");
        List<DeviceBuffer> all = new ArrayList<>();
        DeviceBuffer x = keep(all, random(be, s.length())), dy = keep(all, random(be, s.length()));
        DeviceBuffer g = keep(all, random(be, s.c())), b = keep(all, random(be, s.c()));
        DeviceBuffer rm = keep(all, be.allocateZeroed(DType.F32, s.c())), rv = keep(all, be.allocateZeroed(DType.F32, s.c()));
        DeviceBuffer y = keep(all, be.allocateUninitialized(DType.F32, s.length())), dx = keep(all, be.allocateUninitialized(DType.F32, s.length()));
        DeviceBuffer mean = keep(all, be.allocateUninitialized(DType.F32, s.c())), inv = keep(all, be.allocateUninitialized(DType.F32, s.c()));
        DeviceBuffer dg = keep(all, be.allocateUninitialized(DType.F32, s.c())), db = keep(all, be.allocateUninitialized(DType.F32, s.c()));
        Runnable forward = () -> be.batchNormForwardTrain(s, x, g, b, rm, rv, y, mean, inv);
        time(be, v, "batchnorm", name, "forward", 0, forward);
        time(be, v, "batchnorm", name, "forward_backward", 0, () -> {
            forward.run();
            be.batchNormBackward(s, x, dy, g, mean, inv, dx, dg, db);
        });
        all.forEach(DeviceBuffer::release);
    }

    private void mixed(CudaBackend be, Variant v, Map<String, Object> c) {
        int k = CudaBench.integer(c, "inputs");
        long len = (long) batch * CudaBench.integer(c, "c") * CudaBench.integer(c, "h") * CudaBench.integer(c, "w");
        String name = (String) c.get("name");
        DeviceBuffer[] xs = new DeviceBuffer[k], dxs = new DeviceBuffer[k];
        for (int i = 0; i < k; i++) {
            xs[i] = random(be, len);
            dxs[i] = be.allocateUninitialized(DType.F32, len);
        }
        DeviceBuffer w = random(be, k), y = be.allocateUninitialized(DType.F32, len), dy = random(be, len);
        DeviceBuffer dw = be.allocateUninitialized(DType.F32, k);
        Runnable forward = () -> be.mixedSumForward(xs, w, y);
        time(be, v, "mixed", name, "forward", 0, forward);
        time(be, v, "mixed", name, "forward_backward", 0, () -> {
            forward.run();
            be.mixedSumBackward(xs, w, dy, dxs, dw);
        });
        for (int i = 0; i < k; i++) {
            xs[i].release();
            dxs[i].release();
        }
        for (DeviceBuffer b : List.of(w, y, dy, dw)) b.release();
    }

    private static DeviceBuffer keep(List<DeviceBuffer> all, DeviceBuffer b) {
        all.add(b);
        return b;
    }
}
