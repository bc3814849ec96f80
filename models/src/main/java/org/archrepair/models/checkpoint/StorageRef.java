package org.archrepair.models.checkpoint;

/**
 * What a pickle's persistent id ({@code ('storage', torch.FloatStorage, key, location, numel[, view])})
 * stands for: the storage with this key in the file, of numel elements of type; with a legacy view,
 * the viewSize elements starting at element viewOffset of it. location ("cpu", "cuda:0") is ignored.
 */
record StorageRef(String key, StorageType type, long numel, long viewOffset, long viewSize) {
    /** Elements a tensor may address through this reference. */
    long addressable() {
        return viewSize;
    }
}
