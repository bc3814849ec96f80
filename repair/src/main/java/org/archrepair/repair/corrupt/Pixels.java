package org.archrepair.repair.corrupt;

/**
 * The image the corruptions work on: one CIFAR image, 3 x 32 x 32 (C, H, W), as uint8 bytes on the
 * way in and out and as doubles inside, either in [0, 1] ("unit", the reference's {@code x / 255.})
 * or in [0, 255]. The conversions back to bytes reproduce the reference's casts: {@code np.uint8} of
 * a clipped float truncates, and so, as measured against ImageMagick 6.9.11 itself
 * (MotionBlurReferenceTest), does the motion blur's way back to 8 bits.
 */
final class Pixels {
    static final int C = 3, H = 32, W = 32, PLANE = H * W, SIZE = C * PLANE;

    private Pixels() {
    }

    /** x / 255 for every byte, (C, H, W). */
    static double[] unit(byte[] x) {
        double[] v = new double[x.length];
        for (int i = 0; i < x.length; i++) v[i] = (x[i] & 0xff) / 255.0;
        return v;
    }

    /** uint8(clip(v, 0, 1) * 255): the reference's {@code np.clip(x, 0, 1) * 255} saved as uint8 (truncation). */
    static byte[] fromUnit(double[] v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (byte) (int) (clip01(v[i]) * 255);
        return out;
    }

    /** uint8(clip(v, 0, 255)), truncating. */
    static byte[] truncate255(double[] v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (byte) (int) Math.min(255, Math.max(0, v[i]));
        return out;
    }

    /** uint8(clip(v, 0, 255)) of one value, truncating. */
    static int truncate255(double v) {
        return (int) Math.min(255, Math.max(0, v));
    }

    static double clip01(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
