/**
 * Training: {@link org.archrepair.repair.train.TrainStep}, the one optimization step every loop
 * uses, the from-scratch {@link org.archrepair.repair.train.Trainer} with its checkpoints and
 * resume, its history and learning curve, and the non-finite-loss stop. Repair loops live in
 * {@code repair.method}.
 */
package org.archrepair.repair.train;
