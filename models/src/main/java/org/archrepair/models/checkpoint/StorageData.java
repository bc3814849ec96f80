package org.archrepair.models.checkpoint;

import org.archrepair.engine.io.HostArray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The raw bytes of one storage as read from a checkpoint, and the gather that turns a
 * {@link TensorRef} (offset + arbitrary strides) into a contiguous float {@link HostArray}.
 * Every address is bounds-checked against the storage, so a malformed file cannot read outside it.
 */
record StorageData(String key, StorageType type, ByteBuffer bytes, long numel) {
    static StorageData of(String key, StorageType type, byte[] data, ByteOrder order) {
        return new StorageData(key, type, ByteBuffer.wrap(data).order(order), data.length / type.bytes);
    }

    /** The tensor's values, contiguous, row-major; where names the file and tensor in errors. */
    HostArray gather(TensorRef t, String where) throws IOException {
        StorageRef s = t.storage();
        if (s.type() != type)
            throw new IOException(where + ": storage '" + key + "' is read as " + type.torchName + " and as "
                    + s.type().torchName);
        if (s.viewOffset() > numel - s.viewSize())
            throw new IOException(where + ": storage '" + key + "' has " + numel + " elements, the file declares a view of "
                    + s.viewSize() + " from element " + s.viewOffset());
        for (int d = 0; d < t.size().length; d++)
            if (t.size()[d] < 0 || t.stride()[d] < 0)
                throw new IOException(where + ": negative size or stride " + Arrays.toString(t.size()) + " / "
                        + Arrays.toString(t.stride()));
        long n, last;
        try {
            n = t.numel();
            last = lastElement(t);
        } catch (ArithmeticException e) {
            throw new IOException(where + ": size " + Arrays.toString(t.size()) + ", stride " + Arrays.toString(t.stride())
                    + " at offset " + t.offset() + " addresses more than 2^63 elements", e);
        }
        if (t.offset() < 0 || (n > 0 && last >= s.addressable()))
            throw new IOException(where + ": size " + Arrays.toString(t.size()) + ", stride "
                    + Arrays.toString(t.stride()) + " at offset " + t.offset() + " reaches element " + last
                    + " of a storage of " + s.addressable());
        if (n > Integer.MAX_VALUE - 8) throw new IOException(where + ": tensor of " + n + " elements is too large");
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

    /** The element the tensor's last index reaches: offset + sum of (size - 1) * stride; ArithmeticException on overflow. */
    private static long lastElement(TensorRef t) {
        long last = t.offset();
        for (int d = 0; d < t.size().length; d++)
            if (t.size()[d] > 0) last = Math.addExact(last, Math.multiplyExact(t.size()[d] - 1L, t.stride()[d]));
        return last;
    }
}
