package org.archrepair.bench.cuda;

import org.archrepair.kernels.cuda.CudaBackend;
import org.archrepair.kernels.cuda.CudaOptions;

import java.util.List;

/**
 * One configuration of our backend: convolutions on the custom kernels + cuBLAS ("ptx") or on cuDNN,
 * with TF32 off or on. PyTorch's matching configurations: "fp32" (allow_tf32 off for cuDNN and
 * matmul) for ptx and cudnn, "tf32" for the -tf32 variants.
 */
record Variant(String label, boolean cudnn, boolean tf32) {
    static final List<Variant> ALL = List.of(new Variant("ptx", false, false), new Variant("ptx-tf32", false, true),
            new Variant("cudnn", true, false), new Variant("cudnn-tf32", true, true));

    CudaBackend open() {
        return CudaBackend.open(CudaOptions.fromSystemProperties(0).withCudnn(cudnn).withTf32(tf32));
    }
}
