/**
 * The data every repair method takes (ALGORITHM.md section 2): {@link org.archrepair.repair.data.FailureSet}
 * (D_fail, failures of the model sampled per class with a seed, from the test set or a corrupted
 * set) and {@link org.archrepair.repair.data.RepairData} (D_repair = D_fail with a sample of D_t,
 * its stratified train/validation split, and the held-out evaluation set D_v minus D_fail). The
 * scenarios differ only in where the failures come from. Must not contain numeric kernels.
 */
package org.archrepair.repair.data;
