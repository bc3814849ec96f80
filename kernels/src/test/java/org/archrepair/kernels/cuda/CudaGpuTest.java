package org.archrepair.kernels.cuda;

import org.archrepair.kernels.Backend;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.TestDevices;
import org.archrepair.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks that need a real GPU (skipped, with the reason, elsewhere): the custom convolutions against
 * cuDNN on full ResNet-18 layers at batch 64, too large for the CPU reference in a unit test, with
 * TF32 off (both must agree to float32 rounding) and on; and the allocator of a real device
 * reusing memory across repeated steps.
 */
class CudaGpuTest {

    /** The GPU; the emulator (which "cuda" is when -Darchrepair.cuda.libs points at it) would take hours here. */
    private static CudaBackend gpu() {
        CudaBackend be = (CudaBackend) TestDevices.open("cuda");
        Assumptions.assumeFalse(be.describe().contains("CUDA emulator"), "these sizes are for a real GPU");
        return be;
    }

    /** ResNet-18 (CIFAR) convolutions at batch 64, plus DARTS' depthwise ones. */
    static Stream<Conv2dSpec> layers() {
        return Stream.of(
                Conv2dSpec.of(64, 3, 32, 32, 64, 3, 1, 1, 1, 1),
                Conv2dSpec.of(64, 64, 32, 32, 64, 3, 1, 1, 1, 1),
                Conv2dSpec.of(64, 64, 32, 32, 128, 3, 2, 1, 1, 1),
                Conv2dSpec.of(64, 64, 32, 32, 128, 1, 2, 0, 1, 1),
                Conv2dSpec.of(64, 256, 8, 8, 512, 3, 2, 1, 1, 1),
                Conv2dSpec.of(64, 512, 4, 4, 512, 3, 1, 1, 1, 1),
                Conv2dSpec.of(64, 64, 32, 32, 64, 3, 1, 1, 1, 64),
                Conv2dSpec.of(64, 64, 32, 32, 64, 5, 1, 4, 2, 64));
    }

    @Test
    void customConvolutionsAgreeWithCudnn() {
        CudaBackend ptx = gpu();
        for (boolean tf32 : new boolean[]{false, true}) {
            CudaBackend cudnn;
            try {
                cudnn = CudaBackend.open(CudaOptions.fromSystemProperties(0).withCudnn(true).withTf32(tf32));
            } catch (CudaUnavailableException e) {
                Assumptions.abort("cuDNN unavailable: " + e.getMessage());
                return;
            }
            try (cudnn; CudaBackend custom = tf32 ? CudaBackend.open(ptx.options().withTf32(true)) : null) {
                CudaBackend mine = custom != null ? custom : ptx;
                // TF32 keeps 10 bits of mantissa: each side's products carry up to ~1e-3 relative error
                double tolerance = tf32 ? 5e-3 : 2e-5;
                layers().forEach(s -> compare(s, mine, cudnn, tolerance, tf32));
            }
        }
    }

    /** The three passes on both backends; |difference| <= tolerance * the conv of |x| and |w| (etc.). */
    private static void compare(Conv2dSpec s, CudaBackend a, CudaBackend b, double tolerance, boolean tf32) {
        Random r = new Random(s.hashCode());
        float[] x = random(r, s.xLength()), w = random(r, s.wLength()), dy = random(r, s.yLength());
        float[] ax = abs(x), aw = abs(w), ady = abs(dy);
        String what = s + (tf32 ? " (TF32)" : "");
        check(what + " forward", run(a, be -> fwd(be, s, x, w)), run(b, be -> fwd(be, s, x, w)), run(a, be -> fwd(be, s, ax, aw)), tolerance);
        check(what + " backward data", run(a, be -> bwdData(be, s, dy, w)), run(b, be -> bwdData(be, s, dy, w)),
                run(a, be -> bwdData(be, s, ady, aw)), tolerance);
        check(what + " backward weight", run(a, be -> bwdWeight(be, s, x, dy)), run(b, be -> bwdWeight(be, s, x, dy)),
                run(a, be -> bwdWeight(be, s, ax, ady)), tolerance);
    }

    private interface Op {
        DeviceBuffer on(Backend be);
    }

    private static float[] run(Backend be, Op op) {
        DeviceBuffer out = op.on(be);
        float[] h = new float[(int) out.length()];
        be.download(out, h);
        out.release();
        return h;
    }

    private static DeviceBuffer fwd(Backend be, Conv2dSpec s, float[] x, float[] w) {
        DeviceBuffer y = be.allocateUninitialized(DType.F32, s.yLength());
        be.conv2dForward(s, be.upload(x), be.upload(w), y);
        return y;
    }

    private static DeviceBuffer bwdData(Backend be, Conv2dSpec s, float[] dy, float[] w) {
        DeviceBuffer dx = be.allocateUninitialized(DType.F32, s.xLength());
        be.conv2dBackwardData(s, be.upload(dy), be.upload(w), dx);
        return dx;
    }

    private static DeviceBuffer bwdWeight(Backend be, Conv2dSpec s, float[] x, float[] dy) {
        DeviceBuffer dw = be.allocateUninitialized(DType.F32, s.wLength());
        be.conv2dBackwardWeight(s, be.upload(x), be.upload(dy), dw);
        return dw;
    }

    private static void check(String what, float[] got, float[] want, float[] magnitude, double tolerance) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs((double) got[i] - want[i]), allowed = tolerance * magnitude[i] + 1e-30;
            if (!(err <= allowed)) fail(what + ": element " + i + " custom " + got[i] + " vs cuDNN " + want[i]
                    + " (magnitude " + magnitude[i] + ")");
            worst = Math.max(worst, err / (magnitude[i] + 1e-30));
        }
        System.out.printf("[gpu] %s: worst |custom - cuDNN| / magnitude = %.2e%n", what, worst);
    }

    private static float[] random(Random r, long n) {
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = 2 * r.nextFloat() - 1;
        return a;
    }

    private static float[] abs(float[] a) {
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Math.abs(a[i]);
        return b;
    }

    /** The same shapes, conv forward only, against the CPU reference: cuDNN itself is checked too. */
    @Test
    void cudnnAgreesWithTheCpuReferenceOnASmallLayer() {
        gpu();
        CudaBackend cudnn;
        try {
            cudnn = CudaBackend.open(CudaOptions.fromSystemProperties(0).withCudnn(true));
        } catch (CudaUnavailableException e) {
            Assumptions.abort("cuDNN unavailable: " + e.getMessage());
            return;
        }
        try (cudnn; CpuBackend ref = CpuBackend.reference()) {
            Conv2dSpec s = Conv2dSpec.of(2, 16, 8, 8, 32, 3, 2, 1, 1, 2);
            Random r = new Random(5);
            float[] x = random(r, s.xLength()), w = random(r, s.wLength());
            check("cuDNN vs CPU reference " + s, run(cudnn, be -> fwd(be, s, x, w)), run(ref, be -> fwd(be, s, x, w)),
                    run(ref, be -> fwd(be, s, abs(x), abs(w))), 2e-5);
        }
    }

    @Test
    void repeatedStepsReuseDeviceMemory() {
        CudaBackend be = gpu();
        Conv2dSpec s = Conv2dSpec.of(128, 64, 32, 32, 64, 3, 1, 1, 1, 1);
        DeviceBuffer x = be.upload(new float[(int) s.xLength()]), w = be.upload(new float[(int) s.wLength()]);
        long driverAllocations = -1;
        for (int step = 0; step < 20; step++) {
            List<DeviceBuffer> temp = new ArrayList<>();
            DeviceBuffer y = be.allocateUninitialized(DType.F32, s.yLength());
            temp.add(y);
            be.conv2dForward(s, x, w, y);
            DeviceBuffer dx = be.allocateUninitialized(DType.F32, s.xLength()), dw = be.allocateUninitialized(DType.F32, s.wLength());
            temp.add(dx);
            temp.add(dw);
            be.conv2dBackwardData(s, y, w, dx);
            be.conv2dBackwardWeight(s, x, y, dw);
            temp.forEach(DeviceBuffer::release);
            if (step == 0) driverAllocations = be.memoryStats().driverAllocations();
        }
        be.synchronize();
        assertEquals(driverAllocations, be.memoryStats().driverAllocations(), "cuMemAlloc calls after the first step");
        assertTrue(be.timeMillis(() -> { }) >= 0);
    }
}
