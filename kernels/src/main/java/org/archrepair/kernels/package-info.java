/**
 * The devices. {@link org.archrepair.kernels.Backend} is the list of primitives every device
 * implements (memory, elementwise, GEMM, convolution, pooling, batch norm, loss, channel ops, the
 * DARTS mixed sum, optimizer steps) over flat {@link org.archrepair.kernels.DeviceBuffer}s, with
 * shapes in small spec records.
 *
 * <p>Owns: buffers, primitives, their CPU ({@code cpu}) and CUDA ({@code cuda}) implementations.
 * Must not import anything from engine, models or repair: no tensors, autograd or models here.
 */
package org.archrepair.kernels;
