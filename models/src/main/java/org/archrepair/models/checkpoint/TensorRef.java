package org.archrepair.models.checkpoint;

import java.util.Arrays;

/**
 * A tensor as torch's {@code _rebuild_tensor[_v2]} describes it: a storage, an element offset into
 * it, a size and a stride per dimension (in elements). Materialized by {@link StorageData#gather}.
 */
record TensorRef(StorageRef storage, long offset, int[] size, long[] stride) {
    /** The product of the (non-negative) sizes: 0 if any is 0, -1 past Long.MAX_VALUE. */
    long numel() {
        for (int s : size) if (s == 0) return 0;
        long n = 1;
        for (int s : size) {
            if (n > Long.MAX_VALUE / s) return -1;
            n *= s;
        }
        return n;
    }

    /** True for a tensor of one element (every size 1, or no dimensions), without computing numel. */
    boolean isSingleElement() {
        return Arrays.stream(size).allMatch(s -> s == 1);
    }

    @Override
    public String toString() {
        return "tensor" + Arrays.toString(size) + " of " + storage.type().torchName + " '" + storage.key() + "'";
    }
}
