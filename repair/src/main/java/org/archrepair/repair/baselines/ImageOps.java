package org.archrepair.repair.baselines;

/**
 * Image operations of the augmenting baselines on uint8 images (C, H, W), written as PIL and
 * OpenCV define them where the original tools call those libraries: affine warps with bilinear
 * sampling and black fill (PIL's {@code Image.transform(AFFINE)} convention: an output pixel's
 * center (x + 0.5, y + 0.5) takes the input at (a X + b Y + c, d X + e Y + f)), PIL's autocontrast,
 * equalize, posterize and solarize, and a linear brightness/contrast change. Every function returns
 * a new array and leaves its input alone.
 *
 * <p>What it is not: no randomness (callers draw the parameters) and no normalization.
 */
final class ImageOps {
    private ImageOps() {
    }

    /** The PIL AFFINE warp: out(x, y) = in(a X + b Y + c, d X + e Y + f) at pixel centers X = x + 0.5, Y = y + 0.5. */
    static byte[] affine(byte[] src, int channels, int height, int width, double a, double b, double c, double d,
                         double e, double f) {
        byte[] out = new byte[src.length];
        int plane = height * width;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                double X = x + 0.5, Y = y + 0.5;
                double u = a * X + b * Y + c - 0.5, v = d * X + e * Y + f - 0.5;   // input index space
                int x0 = (int) Math.floor(u), y0 = (int) Math.floor(v);
                double fx = u - x0, fy = v - y0;
                for (int ch = 0; ch < channels; ch++) {
                    int base = ch * plane;
                    double s = (1 - fx) * (1 - fy) * at(src, base, height, width, y0, x0)
                            + fx * (1 - fy) * at(src, base, height, width, y0, x0 + 1)
                            + (1 - fx) * fy * at(src, base, height, width, y0 + 1, x0)
                            + fx * fy * at(src, base, height, width, y0 + 1, x0 + 1);
                    out[base + y * width + x] = clamp(s);
                }
            }
        return out;
    }

    private static int at(byte[] img, int base, int height, int width, int y, int x) {
        return y < 0 || y >= height || x < 0 || x >= width ? 0 : img[base + y * width + x] & 0xff;
    }

    static byte clamp(double v) {
        long r = Math.round(v);
        return (byte) (r < 0 ? 0 : r > 255 ? 255 : r);
    }

    /** PIL's Image.rotate(degrees) about the center, counter-clockwise for positive degrees. */
    static byte[] rotate(byte[] src, int channels, int height, int width, double degrees) {
        double t = Math.toRadians(degrees), cos = Math.cos(t), sin = Math.sin(t);
        double cx = width / 2.0, cy = height / 2.0;
        // input - center = [[cos, -sin], [sin, cos]] (output - center), in image coordinates (y down)
        return affine(src, channels, height, width, cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy);
    }

    /**
     * SENSEI's natural transformation: rotation by degrees about the center, horizontal shear,
     * zoom, then translation by (tx, ty) pixels; the inverse of that map says where each output
     * pixel is read from.
     */
    static byte[] spatial(byte[] src, int channels, int height, int width, double degrees, double tx, double ty,
                          double shear, double zoom) {
        double t = Math.toRadians(degrees), cos = Math.cos(t), sin = Math.sin(t);
        // forward: p' = c + t + Z S R (p - c) with R = [[cos, -sin], [sin, cos]], S = [[1, shear], [0, 1]], Z = zoom I
        double m00 = zoom * (cos + shear * sin), m01 = zoom * (-sin + shear * cos), m10 = zoom * sin, m11 = zoom * cos;
        double det = m00 * m11 - m01 * m10;
        double i00 = m11 / det, i01 = -m01 / det, i10 = -m10 / det, i11 = m00 / det;
        double cx = width / 2.0 + tx, cy = height / 2.0 + ty, ox = width / 2.0, oy = height / 2.0;
        return affine(src, channels, height, width, i00, i01, ox - i00 * cx - i01 * cy, i10, i11, oy - i10 * cx - i11 * cy);
    }

    /** out = clamp(p * contrast + brightness), per pixel (SENSEI's optional filters). */
    static byte[] brightnessContrast(byte[] src, double brightness, double contrast) {
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) out[i] = clamp((src[i] & 0xff) * contrast + brightness);
        return out;
    }

    /** PIL ImageOps.autocontrast (cutoff 0): each channel's [min, max] stretched to [0, 255], truncated. */
    static byte[] autocontrast(byte[] src, int channels, int height, int width) {
        byte[] out = src.clone();
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int lo = 255, hi = 0;
            for (int i = 0; i < plane; i++) {
                int p = src[c * plane + i] & 0xff;
                lo = Math.min(lo, p);
                hi = Math.max(hi, p);
            }
            if (hi <= lo) continue;
            double scale = 255.0 / (hi - lo), offset = -lo * scale;
            for (int i = 0; i < plane; i++) {
                int v = (int) ((src[c * plane + i] & 0xff) * scale + offset);
                out[c * plane + i] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return out;
    }

    /** PIL ImageOps.equalize: per channel, the histogram's cumulative lookup table PIL builds. */
    static byte[] equalize(byte[] src, int channels, int height, int width) {
        byte[] out = src.clone();
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int[] h = new int[256];
            for (int i = 0; i < plane; i++) h[src[c * plane + i] & 0xff]++;
            int last = 255;
            while (last > 0 && h[last] == 0) last--;
            int step = (plane - h[last]) / 255;
            if (step == 0) continue;
            int[] lut = new int[256];
            int n = step / 2;
            for (int i = 0; i < 256; i++) {
                lut[i] = Math.min(255, n / step);
                n += h[i];
            }
            for (int i = 0; i < plane; i++) out[c * plane + i] = (byte) lut[src[c * plane + i] & 0xff];
        }
        return out;
    }

    /** PIL ImageOps.posterize: keep the top bits of every value. */
    static byte[] posterize(byte[] src, int bits) {
        if (bits < 0 || bits > 8) throw new IllegalArgumentException("posterize bits must be 0..8, got " + bits);
        int mask = ~((1 << (8 - bits)) - 1) & 0xff;
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) out[i] = (byte) (src[i] & mask);
        return out;
    }

    /** PIL ImageOps.solarize: every value at or above threshold inverted. */
    static byte[] solarize(byte[] src, int threshold) {
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            int p = src[i] & 0xff;
            out[i] = (byte) (p >= threshold ? 255 - p : p);
        }
        return out;
    }

    /** Mirror left-right. */
    static byte[] flip(byte[] src, int channels, int height, int width) {
        byte[] out = new byte[src.length];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++) {
                    int row = (c * height + y) * width;
                    out[row + x] = src[row + width - 1 - x];
                }
        return out;
    }

    /** out = round((1 - beta) a + beta b), elementwise (Few-Shot's mix with a failure). */
    static byte[] blend(byte[] a, byte[] b, double beta) {
        if (a.length != b.length) throw new IllegalArgumentException("blend of " + a.length + " and " + b.length + " values");
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) out[i] = clamp((1 - beta) * (a[i] & 0xff) + beta * (b[i] & 0xff));
        return out;
    }
}
