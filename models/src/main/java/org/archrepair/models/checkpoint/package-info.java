/**
 * Checkpoint import and export: PyTorch {@code torch.save} files in the legacy (pre-1.6) and the
 * zip (1.6+) formats, read through a small pickle interpreter that can only build the few objects a
 * state_dict needs (an allowlist; anything else is rejected before it exists), and safetensors.
 * {@link org.archrepair.models.checkpoint.Checkpoints} detects the format, normalizes names
 * (drops a DataParallel {@code module.} prefix and {@code num_batches_tracked}) and loads a model
 * strictly, naming every missing, extra or mis-shaped tensor. Files are untrusted input: every
 * reader is bounded by construction (pickle depth, memo and expansion, declared sizes against the
 * bytes that exist and a per-read memory budget, zip CRC-32) and every failure is one
 * {@link org.archrepair.models.checkpoint.CheckpointException}.
 *
 * <p>What it must not do: execute or instantiate anything a file names outside the allowlist,
 * know about particular architectures, or write anything but safetensors.
 */
package org.archrepair.models.checkpoint;
