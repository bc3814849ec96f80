/**
 * The CUDA device: {@link org.archrepair.kernels.cuda.CudaBackend} implements every
 * {@link org.archrepair.kernels.Backend} primitive on the custom PTX kernels of {@code src-cuda/}
 * (shipped here as resources under {@code cuda/ptx/}), cuBLAS for the GEMMs and, optionally, cuDNN
 * for convolutions. The CUDA driver, cuBLAS and cuDNN are bound with Java's Foreign Function and
 * Memory API, so whichever library soname a machine has ({@code libcublas.so.13} or {@code .12})
 * loads, and nothing is compiled at build time.
 *
 * <p>Owns: the bindings ({@code Driver}, {@code Cublas}, {@code Cudnn}), kernel launches
 * ({@code KernelArgs}, {@code LaunchGeometry}, {@code PtxModules}), device memory
 * ({@code CachingAllocator}, {@link org.archrepair.kernels.cuda.CudaBuffer}) and the backend.
 * Must not import engine, models or repair; never falls back to the CPU: a missing driver is a
 * {@link org.archrepair.kernels.cuda.CudaUnavailableException}.
 */
package org.archrepair.kernels.cuda;
