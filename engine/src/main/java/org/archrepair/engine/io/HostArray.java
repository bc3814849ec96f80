package org.archrepair.engine.io;

import java.util.Arrays;

/** A named tensor's values on the host: what checkpoint readers produce and writers take. */
public record HostArray(int[] shape, float[] data) {
    public HostArray {
        long volume = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            volume *= d;
        }
        if (volume != data.length)
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + volume + " values, got "
                    + data.length);
    }

    /** How many values are NaN or infinite. */
    public int nonFiniteCount() {
        int n = 0;
        for (float v : data) if (!Float.isFinite(v)) n++;
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostArray h && Arrays.equals(shape, h.shape) && Arrays.equals(data, h.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "HostArray" + Arrays.toString(shape);
    }
}
