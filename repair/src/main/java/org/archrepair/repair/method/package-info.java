/**
 * Repair methods on one footing: ArchRepair (relax the localized block, search architecture and
 * weights, discretize, fine-tune) and the weight-only repairs of the paper's Table 1 (neuron,
 * layer, block, network), all taking the same {@link org.archrepair.repair.method.RepairContext}
 * (model, {@link org.archrepair.repair.data.RepairData}, localization, {@link
 * org.archrepair.repair.method.Budget}, seed), checkpointing every epoch and resuming to the same
 * bits. Must not contain numeric kernels.
 */
package org.archrepair.repair.method;
