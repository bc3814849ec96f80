package org.archrepair.models.checkpoint;

import java.util.Arrays;

/**
 * A tensor as torch's {@code _rebuild_tensor[_v2]} describes it: a storage, an element offset into
 * it, a size and a stride per dimension (in elements). Materialized by {@link StorageData#gather}.
 */
record TensorRef(StorageRef storage, long offset, int[] size, long[] stride) {
    long numel() {
        long n = 1;
        for (int s : size) n *= s;
        return n;
    }

    @Override
    public String toString() {
        return "tensor" + Arrays.toString(size) + " of " + storage.type().torchName + " '" + storage.key() + "'";
    }
}
