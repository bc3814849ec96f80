package org.archrepair.models.checkpoint;

import org.archrepair.engine.io.HostArray;

import java.nio.file.Path;
import java.util.Map;

/**
 * A checkpoint as read: the file, its format, the tensors by PyTorch name in file order (already
 * normalized: no {@code module.} prefix, no {@code num_batches_tracked}), and the non-tensor values
 * stored beside the state_dict (akamaster's {@code best_prec1}, kuangliu's {@code acc} and
 * {@code epoch}; a safetensors file's metadata), as Long, Double, String or Boolean.
 */
public record Checkpoint(Path file, Checkpoints.Format format, Map<String, HostArray> tensors,
                         Map<String, Object> extras) {
    public Checkpoint {
        tensors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tensors));
        extras = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extras));
    }
}
