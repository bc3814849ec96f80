/**
 * Datasets and their plumbing: CIFAR-10 in the official binary layout (a folder of {@code .bin} or
 * {@code .bin.gz} files, or the official {@code cifar-10-binary.tar.gz}), Tiny-ImageNet from its
 * folder layout, training augmentation and per-model normalization, a background batch loader that
 * is bitwise reproducible from one seed, the downloader that fetches the official archive and
 * the published pretrained weights into a verified cache, NumPy {@code .npy} files ({@link
 * org.archrepair.models.data.Npy}) and corruption folders in the CIFAR-10-C layout ({@link
 * org.archrepair.models.data.CorruptionFolder}). Data files are untrusted input: sizes are
 * checked and decompression is bounded before anything is allocated, and every failure is one
 * {@link org.archrepair.models.data.DatasetException}.
 *
 * <p>What it must not do: know about tensors on a device, architectures or repair. Batches leave
 * this package as plain {@code float[]} / {@code int[]}; the caller uploads them.
 */
package org.archrepair.models.data;
