/**
 * The GPU benchmarks of the device run ({@code bench/cuda/run-on-device.sh}): our kernels on
 * {@link org.archrepair.kernels.cuda.CudaBackend} and a ResNet-18 training step, on the shapes of
 * {@code bench/cuda/cases.json}, written as JSON lines for {@code bench/cuda/report.py}, which puts
 * them beside PyTorch's ({@code bench/cuda/torch_bench.py}, same cases, same GPU). A plain main, not
 * JMH: kernels are timed with CUDA events, training steps with the host clock around a step that
 * ends by reading the loss.
 *
 * <p>Must not be needed by anything else, nor use DJL (its jar is shaded without it).
 */
package org.archrepair.bench.cuda;
