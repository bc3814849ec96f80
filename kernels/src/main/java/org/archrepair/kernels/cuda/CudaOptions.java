package org.archrepair.kernels.cuda;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * How to open a {@link CudaBackend}.
 *
 * @param device      the ordinal ("cuda:N")
 * @param tf32        let cuBLAS (and cuDNN) use TF32 tensor cores for float GEMMs and convolutions;
 *                    off by default, so results are float32 to the last bits that FP32 gives
 * @param cudnn       convolutions through cuDNN when it loads (otherwise, and by default, the custom
 *                    PTX kernels and cuBLAS); an unavailable cuDNN is then an error, not a fallback
 * @param libraryDirs folders searched for libcuda, libcublas and libcudnn before the system's
 */
public record CudaOptions(int device, boolean tf32, boolean cudnn, List<Path> libraryDirs) {
    public CudaOptions {
        if (device < 0) throw new IllegalArgumentException("CUDA device ordinal must be >= 0, got " + device);
        libraryDirs = List.copyOf(libraryDirs);
    }

    /**
     * Options from the system properties: {@code archrepair.cuda.tf32} (true/false),
     * {@code archrepair.cuda.conv} (ptx or cudnn) and {@code archrepair.cuda.libs} (folders separated
     * by the path separator).
     */
    public static CudaOptions fromSystemProperties(int device) {
        String conv = System.getProperty("archrepair.cuda.conv", "ptx");
        if (!conv.equals("ptx") && !conv.equals("cudnn"))
            throw new IllegalArgumentException("-Darchrepair.cuda.conv must be ptx or cudnn, got " + conv);
        String libs = System.getProperty("archrepair.cuda.libs", "");
        List<Path> dirs = libs.isBlank() ? List.of()
                : Arrays.stream(libs.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
        return new CudaOptions(device, Boolean.getBoolean("archrepair.cuda.tf32"), conv.equals("cudnn"), dirs);
    }

    public CudaOptions withTf32(boolean on) {
        return new CudaOptions(device, on, cudnn, libraryDirs);
    }

    public CudaOptions withCudnn(boolean on) {
        return new CudaOptions(device, tf32, on, libraryDirs);
    }
}
