package org.archrepair.models.checkpoint;

import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.io.ReadBudget;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The raw bytes of one storage as read from a checkpoint, and the gather that turns a
 * {@link TensorRef} (offset + arbitrary strides) into a contiguous float {@link HostArray}.
 * Every address is checked against the storage with overflow-free arithmetic, and a tensor may
 * not hold more elements than its storage view (a stride-0 or overlapping view larger than its
 * data is refused), so a malformed file can neither read outside a storage nor make a few bytes of
 * pickle allocate gigabytes; the floats are taken from the read's {@link ReadBudget} first.
 */
record StorageData(String key, StorageType type, ByteBuffer bytes, long numel) {
    static StorageData of(String key, StorageType type, byte[] data, ByteOrder order) {
        return new StorageData(key, type, ByteBuffer.wrap(data).order(order), data.length / type.bytes);
    }

    /** The tensor's values, contiguous, row-major; file and name for errors. */
    HostArray gather(TensorRef t, Path file, String name, ReadBudget budget) throws CheckpointException {
        StorageRef s = t.storage();
        String where = ": tensor '" + name + "': ";
        if (s.type() != type)
            throw new CheckpointException(file, where, "storage '" + key + "' is read as " + type.torchName + " and as "
                    + s.type().torchName);
        if (s.viewOffset() > numel - s.viewSize())
            throw new CheckpointException(file, where, "storage '" + key + "' has " + numel
                    + " elements, the file declares a view of " + s.viewSize() + " from element " + s.viewOffset());
        String layout = "size " + Arrays.toString(t.size()) + ", stride " + Arrays.toString(t.stride()) + " at offset "
                + t.offset();
        long n = t.numel(), last = lastElement(t);
        if (n < 0 || last < 0) throw new CheckpointException(file, where, layout + " addresses more than 2^63 elements");
        if (n > 0 && last >= s.addressable())
            throw new CheckpointException(file, where, layout + " reaches element " + last + " of a storage of "
                    + s.addressable());
        if (n > s.addressable())
            throw new CheckpointException(file, where, layout + " has " + n + " elements, more than the " + s.addressable()
                    + " its storage holds (a view larger than its data is not supported)");
        if (n > ReadBudget.MAX_ARRAY / 4 || !budget.tryTake(4 * n))
            throw new CheckpointException(file, where, n + " elements as floats are " + budget.explain());
        float[] out = new float[(int) n];
        long base = s.viewOffset() + t.offset();
        int[] idx = new int[t.size().length];
        for (int i = 0; i < out.length; i++) {
            long at = base;
            for (int d = 0; d < idx.length; d++) at += idx[d] * t.stride()[d];
            out[i] = type.get(bytes, at);
            for (int d = idx.length - 1; d >= 0 && ++idx[d] == t.size()[d]; d--) idx[d] = 0;
        }
        return new HostArray(t.size().clone(), out);
    }

    /**
     * The element the tensor's last index reaches, offset + sum of (size - 1) * stride (sizes and
     * strides are non-negative), or -1 past Long.MAX_VALUE.
     */
    private static long lastElement(TensorRef t) {
        long last = t.offset();
        for (int d = 0; d < t.size().length; d++) {
            long span = t.size()[d] - 1L, stride = t.stride()[d];
            if (span <= 0 || stride == 0) continue;
            if (span > (Long.MAX_VALUE - last) / stride) return -1;
            last += span * stride;
        }
        return last;
    }
}
