/**
 * Vulnerable block localization, the paper's Algorithm 1 (ALGORITHM.md sections 4, 5 and 8):
 * activation spectra of every neuron (output channel of a conv in a candidate block) over D_repair
 * ({@link org.archrepair.repair.localize.SpectrumPass}), suspiciousness from them
 * ({@link org.archrepair.repair.localize.Suspiciousness}, Eq. 5), per-neuron gradients on D_fail
 * ({@link org.archrepair.repair.localize.GradientPass}), the reweighting of Eq. 6 and the top-k
 * block vote ({@link org.archrepair.repair.localize.Localizer}), and its reports. Reads the model
 * through forward hooks only; must not contain numeric kernels.
 */
package org.archrepair.repair.localize;
