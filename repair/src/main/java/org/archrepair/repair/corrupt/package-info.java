/**
 * The corruptions of CIFAR-10-C (Hendrycks and Dietterich; the ArchRepair paper's scenario 2) in
 * Java: the 15 standard corruptions and gaussian_blur at severities 1..5 with the reference
 * generator's parameters (ALGORITHM.md section 10), reproducible from one seed per image
 * ({@link org.archrepair.repair.corrupt.Corruptor}), the frost textures
 * ({@link org.archrepair.repair.corrupt.FrostTextures}), a contact sheet, and the robustness report
 * of a model on a corruption folder (accuracy per corruption and severity, mean corruption
 * accuracy, mCE, CSV and charts).
 *
 * <p>What it must not do: numeric kernels of the engine (it works on small arrays of its own),
 * file formats of datasets (models' {@code data} package reads and writes {@code .npy}), or
 * repair.
 */
package org.archrepair.repair.corrupt;
