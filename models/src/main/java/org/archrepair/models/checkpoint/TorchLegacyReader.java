package org.archrepair.models.checkpoint;

import org.archrepair.engine.io.ReadBudget;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The legacy (pre-1.6) {@code torch.save} format: five pickles in a row (the magic number
 * 0x1950a86a20f9469cfc6c, the protocol version 1001, a sys_info dict, the object, the list of
 * storage keys), then for each key in that list an int64 element count and the raw elements, in the
 * byte order sys_info declares. The file must end exactly after the last storage. Each storage's
 * element count must fit the bytes left in the file and the read's {@link ReadBudget} before its
 * array is allocated.
 *
 * <p>What it is not: the zip format ({@link TorchZipReader}) or the even older tar format of
 * PyTorch 0.1 (rejected by the magic check).
 */
final class TorchLegacyReader {
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    static final long PROTOCOL_VERSION = 1001;

    private TorchLegacyReader() {
    }

    static TorchContents read(Path file, ReadBudget budget) throws IOException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            TorchAllowlist allow = new TorchAllowlist();
            Unpickler p = new Unpickler(in, file, null, 0, size, allow);
            if (!MAGIC.equals(asBig(p.load())))
                throw new CheckpointException(file, "not a legacy torch.save file (wrong magic number in the first pickle)");
            long at = p.position();
            Object version = p.load();
            if (!(version instanceof Long v) || v != PROTOCOL_VERSION)
                throw at(file, at, "torch.save protocol version " + Unpickler.preview(version)
                        + ", only " + PROTOCOL_VERSION + " is supported");
            ByteOrder order = byteOrder(file, p.position(), p.load());
            Object root = p.load();
            at = p.position();
            Object keys = p.load();
            if (!(keys instanceof List<?> list))
                throw at(file, at, "expected the list of storage keys, got " + Unpickler.preview(keys));
            Map<String, StorageData> data = readStorages(file, in, p.position(), size, list, allow.storages(), order,
                    budget);
            return new TorchContents(root, data);
        }
    }

    private static BigInteger asBig(Object o) {
        return o instanceof BigInteger b ? b : o instanceof Long l ? BigInteger.valueOf(l) : null;
    }

    private static ByteOrder byteOrder(Path file, long at, Object sysInfo) throws IOException {
        if (!(sysInfo instanceof Map<?, ?> m) || !(m.get("little_endian") instanceof Boolean little))
            throw at(file, at, "sys_info is not a dict with 'little_endian'");
        return little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    private static Map<String, StorageData> readStorages(Path file, InputStream in, long pos, long size, List<?> keys,
                                                         Map<String, StorageRef> refs, ByteOrder order, ReadBudget budget)
            throws IOException {
        Map<String, StorageData> out = new LinkedHashMap<>();
        for (Object k : keys) {
            StorageRef ref = k instanceof String s ? refs.get(s) : null;
            if (ref == null) throw at(file, pos, "storage key " + Unpickler.preview(k) + " is not used by any tensor");
            byte[] count = readExactly(file, in, 8, pos, "the element count of storage '" + k + "'");
            long numel = ByteBuffer.wrap(count).order(order).getLong();
            if (numel != ref.numel())
                throw at(file, pos, "storage '" + k + "' has " + numel + " elements, its persistent id says " + ref.numel());
            int width = ref.type().bytes;
            if (numel > (size - pos - 8) / width)
                throw new CheckpointException(file, "truncated: storage '" + k + "' at byte " + (pos + 8) + " needs " + numel
                        + " elements of " + width + " bytes, the file ends at byte " + size);
            long bytes = numel * width;
            if (bytes > ReadBudget.MAX_ARRAY || !budget.tryTake(bytes))
                throw at(file, pos + 8, "storage '" + k + "' of " + bytes + " bytes is " + budget.explain());
            byte[] raw = readExactly(file, in, (int) bytes, pos + 8, "storage '" + k + "'");
            out.put(ref.key(), StorageData.of(ref.key(), ref.type(), raw, order));
            pos += 8 + bytes;
        }
        for (String key : refs.keySet())
            if (!out.containsKey(key)) throw new CheckpointException(file, "storage '" + key + "' is used but has no data");
        if (pos != size)
            throw new CheckpointException(file, (size - pos) + " unexpected bytes after the last storage, at byte " + pos);
        return out;
    }

    private static CheckpointException at(Path file, long offset, String what) {
        return new CheckpointException(file, ": at byte " + offset + ": ", what);
    }

    private static byte[] readExactly(Path file, InputStream in, int n, long at, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n)
            throw new CheckpointException(file, "truncated: " + what + " at byte " + at + " needs " + n
                    + " bytes, the file ends at byte " + (at + b.length));
        return b;
    }
}
