/**
 * Tensors on a backend and the operations on them: {@link org.archrepair.engine.Tensor} (shape +
 * buffer + backend), {@link org.archrepair.engine.Ops} (every op by name), the seeded
 * {@link org.archrepair.engine.Rng}.
 *
 * <p>Owns: the tensor abstraction, autograd, layers, optimizers, safetensors. Must not import
 * models or repair, and computes nothing itself: all numbers come from a kernels Backend.
 */
package org.archrepair.engine;
