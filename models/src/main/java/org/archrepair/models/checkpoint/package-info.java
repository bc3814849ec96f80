/**
 * Checkpoint import and export: PyTorch {@code torch.save} files in the legacy (pre-1.6) and the
 * zip (1.6+) formats, read through a small pickle interpreter that can only build the few objects a
 * state_dict needs (an allowlist; anything else is rejected before it exists), and safetensors.
 * {@link org.archrepair.models.checkpoint.Checkpoints} detects the format, normalizes names
 * (drops a DataParallel {@code module.} prefix and {@code num_batches_tracked}) and loads a model
 * strictly, naming every missing, extra or mis-shaped tensor.
 *
 * <p>What it must not do: execute or instantiate anything a file names outside the allowlist,
 * know about particular architectures, or write anything but safetensors.
 */
package org.archrepair.models.checkpoint;
