/**
 * The fast CPU kernels behind {@code CpuBackend.fast(threads)}: a fixed-partition worker pool
 * ({@link org.archrepair.kernels.cpu.fast.Parallel}), the packed Vector-API SGEMM and its tile
 * drivers, implicit-GEMM and depthwise convolutions, and vectorized, parallel batch norm, pooling,
 * elementwise, broadcast and optimizer primitives, all at the machine's preferred vector width
 * ({@link org.archrepair.kernels.cpu.fast.Lanes}: 512-bit with AVX-512, 256-bit with AVX2). Kernels
 * take float[] arrays plus a spec, like the scalar references in {@code cpu.ref}, and are tested
 * against them at both widths (the kernels pom reruns the tests under -XX:UseAVX=2; every register
 * tile is also forced at the running width by RegisterTilesTest).
 *
 * <p>Must not import anything above the kernels module (engine, models, repair), nor hold global
 * mutable state: all state lives in the {@code Parallel} gangs a backend leases to its calls.
 */
package org.archrepair.kernels.cpu.fast;
