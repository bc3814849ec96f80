/**
 * The CPU device: {@link org.archrepair.kernels.cpu.CpuBackend#reference()} (scalar, the oracle) and
 * {@link org.archrepair.kernels.cpu.CpuBackend#fast(int)} (Vector API, multithreaded, bitwise
 * reproducible for a fixed thread count). Must not import engine, models or repair.
 */
package org.archrepair.kernels.cpu;
