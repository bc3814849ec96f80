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
        if (s.viewOffset() + s.viewSize() > numel)
            throw new IOException(where + ": storage '" + key + "' has " + numel + " elements, the file declares "
                    + (s.viewOffset() + s.viewSize()));
        long n = t.numel(), last = t.offset();
        for (int d = 0; d < t.size().length; d++) {
            if (t.size()[d] < 0 || t.stride()[d] < 0)
                throw new IOException(where + ": negative size or stride " + Arrays.toString(t.size()) + " / "
                        + Arrays.toString(t.stride()));
            if (t.size()[d] > 0) last += (long) (t.size()[d] - 1) * t.stride()[d];
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
}
