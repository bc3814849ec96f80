package org.archrepair.kernels.cuda;

import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.UnaryOp;
import org.archrepair.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CudaBackend's host side through the real FFM calls, against the stub driver and cuBLAS
 * ({@link NativeStubs}): library discovery and its errors, the cuBLAS soname and math mode, PTX
 * load errors, launch geometry, the caching allocator (no device allocation after a step's first
 * iteration, out-of-memory recovery, the cleaner), released buffers, and labels checked on the device.
 * Each test that changes the emulator's driver version or memory limit restores it.
 */
class CudaPlumbingTest {

    private static CudaBackend open(CudaOptions o) {
        return CudaBackend.open(o);
    }

    private static float[] download(DeviceBuffer b) {
        float[] h = new float[(int) b.length()];
        b.backend().download(b, h);
        return h;
    }

    @Test
    void opensTheEmulatorWithCublas12AndExactFloatMath() {
        NativeStubs.Hooks hooks = NativeStubs.hooks();
        try (CudaBackend be = open(NativeStubs.options())) {
            String d = be.describe();
            assertTrue(d.startsWith("cuda:0 ArchRepair CUDA emulator (sm_80, 2 SMs") && d.contains("driver 12.2")
                    && d.contains("libcublas.so.12") && d.contains("TF32 off") && d.contains("PTX + cuBLAS"), d);
            assertEquals(Cublas.DEFAULT_MATH, hooks.cublasMathMode(hooks.cublas12()));
        }
    }

    @Test
    void aCuda13DriverGetsCublas13AndTf32WhenAskedFor() {
        NativeStubs.Hooks hooks = NativeStubs.hooks();
        hooks.setDriverVersion(13000);
        try (CudaBackend be = open(NativeStubs.options().withTf32(true))) {
            assertTrue(be.describe().contains("libcublas.so.13") && be.describe().contains("TF32 on"), be.describe());
            assertEquals(Cublas.TF32_TENSOR_OP_MATH, hooks.cublasMathMode(hooks.cublas13()));
        } finally {
            hooks.setDriverVersion(12020);
        }
    }

    @Test
    void cublas12ServesACuda13DriverWhenItIsTheOnlyOne(@TempDir Path dir) throws IOException {
        Files.createSymbolicLink(dir.resolve("libcuda.so.1"), NativeStubs.options().libraryDirs().getFirst().resolve("libcuda.so.1"));
        Files.createSymbolicLink(dir.resolve("libcublas.so.12"), NativeStubs.options().libraryDirs().getFirst().resolve("libcublas.so.12"));
        NativeStubs.Hooks hooks = NativeStubs.hooks();
        hooks.setDriverVersion(13000);
        try (CudaBackend be = open(new CudaOptions(0, false, false, List.of(dir)))) {
            assertTrue(be.describe().contains(dir.resolve("libcublas.so.12").toString()), be.describe());
        } finally {
            hooks.setDriverVersion(12020);
        }
    }

    @Test
    void aMissingLibrarySaysWhatWasLookedForWhere(@TempDir Path dir) {
        var e = assertThrows(CudaUnavailableException.class,
                () -> NativeLibrary.open("CUDA driver library", List.of("libarchrepair-missing.so.1"), List.of(dir)));
        String m = e.getMessage();
        assertTrue(m.contains("libarchrepair-missing.so.1") && m.contains(dir.toString()) && m.contains("LD_LIBRARY_PATH")
                && m.contains("-Darchrepair.cuda.libs"), m);
    }

    @Test
    void withoutADriverTheBackendRefusesToStart(@TempDir Path dir) {
        Assumptions.assumeFalse(loads("libcuda.so.1"), "this machine has a CUDA driver");
        var e = assertThrows(CudaUnavailableException.class, () -> open(new CudaOptions(0, false, false, List.of(dir))));
        assertTrue(e.getMessage().contains("libcuda.so.1") && e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void withoutCublasOrAskedForCudnnTheBackendRefusesToStart(@TempDir Path dir) throws IOException {
        Path stubs = NativeStubs.options().libraryDirs().getFirst();
        Files.createSymbolicLink(dir.resolve("libcuda.so.1"), stubs.resolve("libcuda.so.1"));
        if (!loads("libcublas.so.12") && !loads("libcublas.so.13")) {
            var e = assertThrows(CudaUnavailableException.class, () -> open(new CudaOptions(0, false, false, List.of(dir))));
            assertTrue(e.getMessage().contains("cuBLAS") && e.getMessage().contains("libcublas.so.12 or libcublas.so.13"),
                    e.getMessage());
        }
        Assumptions.assumeFalse(loads("libcudnn.so.9"), "this machine has cuDNN 9");
        var e = assertThrows(CudaUnavailableException.class, () -> open(NativeStubs.options().withCudnn(true)));
        assertTrue(e.getMessage().contains("libcudnn.so.9"), e.getMessage());
    }

    private static boolean loads(String soname) {
        try {
            SymbolLookup.libraryLookup(soname, Arena.global());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void ptxADriverCannotJitIsAnErrorNamingFileVersionAndDriver() {
        NativeStubs.Hooks hooks = NativeStubs.hooks();
        hooks.setDriverVersion(11080);
        try (CudaBackend be = open(NativeStubs.options())) {
            DeviceBuffer x = be.upload(new float[]{1, 2});
            var e = assertThrows(CudaException.class, () -> be.unary(UnaryOp.NEG, x, x));
            String m = e.getMessage();
            assertTrue(m.contains("ptx/elementwise.ptx") && m.contains(".version 8.0") && m.contains(".target sm_80")
                    && m.contains("CUDA driver 11.8 (11080)") && m.contains("CUDA_ERROR_UNSUPPORTED_PTX_VERSION")
                    && m.contains("current version is '7.8'"), m);
        } finally {
            hooks.setDriverVersion(12020);
        }
    }

    @Test
    void launchGeometryReachesTheDriver() {
        NativeStubs.Hooks hooks = NativeStubs.hooks();
        try (CudaBackend be = open(NativeStubs.options())) {
            DeviceBuffer x = be.upload(new float[1000]);
            be.unary(UnaryOp.ABS, x, x);
            assertArrayEquals(new int[]{4, 1, 1, 256, 1, 1, 0}, hooks.lastLaunch());
            BatchNormSpec s = BatchNormSpec.of(4, 3, 1000);                 // 4000 values a channel: 3 splits, 3 channels
            DeviceBuffer y = be.allocateUninitialized(DType.F32, s.length()), m = be.allocateUninitialized(DType.F32, 3);
            DeviceBuffer is = be.allocateUninitialized(DType.F32, 3);
            be.batchNormForwardTrain(s, be.upload(new float[(int) s.length()]), null, null, null, null, y, m, is);
            assertEquals(256, hooks.lastLaunch()[3]);
        }
    }

    /** One step of a tiny network's forward and backward passes, every intermediate released at its end. */
    private static void step(CudaBackend be, DeviceBuffer x, DeviceBuffer w) {
        Conv2dSpec c = Conv2dSpec.of(4, 3, 8, 8, 8, 3, 1, 1, 1, 1);
        BatchNormSpec b = BatchNormSpec.of(4, 8, 64);
        List<DeviceBuffer> temp = new ArrayList<>();
        DeviceBuffer y = keep(temp, be.allocateUninitialized(DType.F32, c.yLength()));
        be.conv2dForward(c, x, w, y);
        DeviceBuffer z = keep(temp, be.allocateUninitialized(DType.F32, b.length()));
        DeviceBuffer mean = keep(temp, be.allocateUninitialized(DType.F32, 8)), inv = keep(temp, be.allocateUninitialized(DType.F32, 8));
        be.batchNormForwardTrain(b, y, null, null, null, null, z, mean, inv);
        be.unary(UnaryOp.RELU, z, z);
        DeviceBuffer dz = keep(temp, be.allocateZeroed(DType.F32, b.length())), dy = keep(temp, be.allocateUninitialized(DType.F32, b.length()));
        be.batchNormBackward(b, y, dz, null, mean, inv, dy, null, null);
        DeviceBuffer dw = keep(temp, be.allocateUninitialized(DType.F32, c.wLength())), dx = keep(temp, be.allocateUninitialized(DType.F32, c.xLength()));
        be.conv2dBackwardWeight(c, x, dy, dw);
        be.conv2dBackwardData(c, dy, w, dx);
        temp.forEach(DeviceBuffer::release);
    }

    private static DeviceBuffer keep(List<DeviceBuffer> list, DeviceBuffer b) {
        list.add(b);
        return b;
    }

    @Test
    void aRepeatedStepAllocatesDeviceMemoryOnlyInItsFirstIteration() {
        NativeStubs.Hooks hooks = NativeStubs.hooks();
        try (CudaBackend be = open(NativeStubs.options())) {
            DeviceBuffer x = be.upload(new float[4 * 3 * 64]), w = be.upload(new float[8 * 3 * 9]);
            step(be, x, w);
            long driverAllocations = hooks.allocations(), reserved = be.memoryStats().peakReservedBytes();
            for (int i = 0; i < 5; i++) step(be, x, w);
            assertEquals(driverAllocations, hooks.allocations(), "cuMemAlloc calls after the first step");
            assertEquals(reserved, be.memoryStats().peakReservedBytes());
            assertTrue(be.memoryStats().cacheHits() > 0);
        }
    }

    @Test
    void outOfMemoryEmptiesTheCacheRetriesOnceThenSaysWhatWasAsked() {
        NativeStubs.Hooks hooks = NativeStubs.hooks();
        try (CudaBackend be = open(NativeStubs.options())) {
            hooks.setMemoryLimit(hooks.bytesInUse() + (64L << 20));
            DeviceBuffer big = be.allocateUninitialized(DType.F32, 12L << 20);   // 48 MiB
            big.release();                                                       // cached
            long freesBefore = hooks.frees();
            DeviceBuffer bigger = be.allocateUninitialized(DType.F32, 14L << 20); // 56 MiB: only after the cache is emptied
            assertEquals(freesBefore + 1, hooks.frees());
            var e = assertThrows(CudaOutOfMemoryException.class, () -> be.allocateUninitialized(DType.F32, 14L << 20));
            assertTrue(e.getMessage().contains("cannot allocate 56.0 MiB") && e.getMessage().contains("cuda:0")
                    && e.getMessage().contains("free of"), e.getMessage());
            bigger.release();
        } finally {
            hooks.setMemoryLimit(0);
        }
    }

    @Test
    void unreachableBuffersComeBackThroughTheCleaner() throws InterruptedException {
        try (CudaBackend be = open(NativeStubs.options())) {
            int before = be.memoryStats().inUseBuffers();
            for (int i = 0; i < 100; i++) be.allocateUninitialized(DType.F32, 1000);
            assertEquals(before + 100, be.memoryStats().inUseBuffers());
            for (int i = 0; i < 100 && be.memoryStats().inUseBuffers() > before; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(before, be.memoryStats().inUseBuffers(), "buffers still in use after the collector ran");
        }
    }

    @Test
    void aReleasedBufferCannotBeUsed() {
        try (CudaBackend be = open(NativeStubs.options())) {
            DeviceBuffer x = be.upload(new float[]{1}), y = be.upload(new float[]{2});
            x.release();
            var e = assertThrows(IllegalArgumentException.class, () -> be.unary(UnaryOp.NEG, x, y));
            assertTrue(e.getMessage().contains("x was released"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> ((CudaBuffer) x).ptr());
        }
    }

    @Test
    void labelsComputedOnTheDeviceAreCheckedThere() {
        try (CudaBackend be = open(NativeStubs.options())) {
            DeviceBuffer uploaded = be.upload(new int[]{1, 7}), labels = be.allocateUninitialized(DType.I32, 2);
            be.copy(uploaded, 0, labels, 0, 2);                             // device-side labels: no host copy
            DeviceBuffer logits = be.upload(new float[10]), probs = be.allocateUninitialized(DType.F32, 10);
            DeviceBuffer loss = be.allocateUninitialized(DType.F32, 1);
            be.softmaxCrossEntropyForward(2, 5, logits, labels, probs, loss);  // enqueued; the kernel flags label 7
            var e = assertThrows(IllegalArgumentException.class, () -> download(loss));
            assertTrue(e.getMessage().contains("label outside [0, classes)"), e.getMessage());
            assertTrue(Float.isNaN(download(loss)[0]), "the flag is cleared once reported; the loss is NaN");
        }
    }

    /** A column workspace smaller than one batch: the GEMM convolution runs in chunks of images. */
    @Test
    void convolutionInChunksMatchesTheReference() {
        Conv2dSpec s = Conv2dSpec.of(5, 6, 9, 9, 8, 3, 2, 1, 1, 2);
        long perImage = 3L * 9 * s.p() * s.q();                             // one group's columns of one image
        System.setProperty("archrepair.cuda.convWorkspaceFloats", Long.toString(2 * perImage));   // 2 images a chunk
        try (CudaBackend be = open(NativeStubs.options()); CpuBackend ref = CpuBackend.reference()) {
            Random r = new Random(3);
            float[] x = new float[(int) s.xLength()], w = new float[(int) s.wLength()], dy = new float[(int) s.yLength()];
            for (float[] a : List.of(x, w, dy)) for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
            DeviceBuffer y = be.allocateUninitialized(DType.F32, s.yLength()), yr = ref.allocateUninitialized(DType.F32, s.yLength());
            be.conv2dForward(s, be.upload(x), be.upload(w), y);
            ref.conv2dForward(s, ref.upload(x), ref.upload(w), yr);
            assertArrayEquals(download(yr), download(y), 1e-5f, "forward");
            DeviceBuffer dx = be.allocateUninitialized(DType.F32, s.xLength()), dxr = ref.allocateUninitialized(DType.F32, s.xLength());
            be.conv2dBackwardData(s, be.upload(dy), be.upload(w), dx);
            ref.conv2dBackwardData(s, ref.upload(dy), ref.upload(w), dxr);
            assertArrayEquals(download(dxr), download(dx), 1e-5f, "backward data");
            DeviceBuffer dw = be.allocateUninitialized(DType.F32, s.wLength()), dwr = ref.allocateUninitialized(DType.F32, s.wLength());
            be.conv2dBackwardWeight(s, be.upload(x), be.upload(dy), dw);
            ref.conv2dBackwardWeight(s, ref.upload(x), ref.upload(dy), dwr);
            assertArrayEquals(download(dwr), download(dw), 1e-4f, "backward weight");
        } finally {
            System.clearProperty("archrepair.cuda.convWorkspaceFloats");
        }
    }
}
