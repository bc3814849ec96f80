package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.cpu.CpuBackend;

/**
 * Says which instruction set each side of a benchmark run uses, before the run: ours, the Vector
 * API species and register tile this JVM picks (from the JVM's flags, e.g. {@code -XX:UseAVX=2});
 * PyTorch, the ISA limits in its environment and what its libraries report when they first run: one
 * SGEMM (MKL prints its ISA under {@code MKL_VERBOSE=1}) and one convolution (oneDNN prints its
 * ISA under {@code ONEDNN_VERBOSE=1}). {@code bench/run.sh} runs it with both set and keeps those
 * lines; neither variable is set in the measuring forks, whose timings the logging would distort.
 *
 * <p>What this is not: a benchmark. ATen's own kernels ({@code ATEN_CPU_CAPABILITY}) print nothing,
 * so for them only the setting is shown.
 */
public final class Isa {
    private Isa() {
    }

    public static void main(String[] args) {
        Forks.requireJvmFlags();
        try (CpuBackend ours = CpuBackend.fast(1)) {
            System.out.println("isa ours: " + ours);
        }
        for (String name : new String[]{"ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "MKL_ENABLE_INSTRUCTIONS"})
            System.out.println("isa PyTorch: " + name + "=" + System.getenv().getOrDefault(name, "(unset: the CPU's best)"));
        try (Torch torch = Torch.start(1)) {
            System.out.println("isa PyTorch: " + torch.version());
            int n = 256;
            Conv2dSpec s = Layers.conv("r20-16x32x32");
            try (NDArray a = torch.array(Data.gaussian(1, n * n, 1f), n, n); NDArray y = a.matMul(a);
                 NDArray x = torch.array(Data.gaussian(2, (int) s.xLength(), 1f), s.n(), s.c(), s.h(), s.w());
                 NDArray w = torch.array(Data.gaussian(3, (int) s.wLength(), 0.1f), s.k(), s.c(), s.r(), s.s());
                 NDArray z = Torch.conv2d(s, x, w)) {
                System.out.println("isa PyTorch: ran a " + y.getShape() + " matmul and a " + z.getShape() + " conv2d");
            }
        }
        System.out.flush();
    }
}
