/**
 * Layers as torch.nn has them: {@link org.archrepair.engine.nn.Module} with explicit, hierarchical,
 * PyTorch-compatible names, children, train/eval, freezing and forward hooks; Conv2d, BatchNorm2d,
 * Linear, pooling, Sequential; PyTorch default initialization through {@link org.archrepair.engine.nn.Init}.
 * Must not import models or repair.
 */
package org.archrepair.engine.nn;
