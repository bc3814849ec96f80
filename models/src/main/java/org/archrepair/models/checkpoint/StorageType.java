package org.archrepair.models.checkpoint;

import java.nio.ByteBuffer;

/**
 * The torch storage classes a checkpoint may name (as {@code torch.FloatStorage} etc. inside
 * persistent ids), with their element size and how one element becomes a float. Integer storages
 * (LongStorage for counters, IntStorage) are converted exactly up to 2^24.
 *
 * <p>What it is not: no complex, bool, quantized or 8-bit storages (a file using them is rejected
 * at the GLOBAL that names them).
 */
enum StorageType {
    FLOAT("FloatStorage", 4), DOUBLE("DoubleStorage", 8), HALF("HalfStorage", 2), BFLOAT16("BFloat16Storage", 2),
    LONG("LongStorage", 8), INT("IntStorage", 4);

    final String torchName;
    final int bytes;

    StorageType(String torchName, int bytes) {
        this.torchName = torchName;
        this.bytes = bytes;
    }

    /** The type torch names "torch." + name, or null. */
    static StorageType byTorchName(String name) {
        for (StorageType t : values()) if (t.torchName.equals(name)) return t;
        return null;
    }

    /** Element i of data (whose byte order the caller has set) as a float. */
    float get(ByteBuffer data, long i) {
        int at = Math.toIntExact(i * bytes);
        return switch (this) {
            case FLOAT -> data.getFloat(at);
            case DOUBLE -> (float) data.getDouble(at);
            case HALF -> Float.float16ToFloat(data.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((data.getShort(at) & 0xffff) << 16);
            case LONG -> (float) data.getLong(at);
            case INT -> (float) data.getInt(at);
        };
    }
}
