/**
 * The six published repair methods the paper compares ArchRepair with (its section 4.2, Tables 4
 * and 5), written from their public code or text as ALGORITHM.md section 9 describes them: Arachne
 * (bidirectional localization and differential evolution on one layer), Apricot (reduced models and
 * the weight-adjustment walk), MODE (per-label fault diagnosis, feature-head probing, differential
 * heat maps, input selection), SENSEI (per-image genetic search over natural transformations), and
 * Few-Shot guided mix and DeepRepair (AugMix with a JSD consistency loss and one failure-guided
 * chain op). Every method takes the same {@link org.archrepair.repair.method.RepairContext} as
 * ArchRepair, trains on D_train^repair, selects on D_val^repair, stays within the same
 * {@link org.archrepair.repair.method.Budget} and checkpoints so a killed run resumes to the same
 * bits. Image operations work on uint8 CHW images, seeded through {@link org.archrepair.engine.Rng}
 * forks.
 *
 * <p>May import engine, models and the repair packages data, eval, localize, method, train and
 * report (for JSON); must not import cli, and contains no numeric kernels (losses are compositions
 * of {@link org.archrepair.engine.Ops}).
 */
package org.archrepair.repair.baselines;
