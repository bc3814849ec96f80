/**
 * Scalar reference kernels: straight from the definitions, double accumulation, single thread.
 * Slow on purpose; every fast path and every other backend is tested against them.
 */
package org.archrepair.kernels.cpu.ref;
