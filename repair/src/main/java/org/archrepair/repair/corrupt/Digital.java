package org.archrepair.repair.corrupt;

import static org.archrepair.repair.corrupt.Pixels.C;
import static org.archrepair.repair.corrupt.Pixels.H;
import static org.archrepair.repair.corrupt.Pixels.PLANE;
import static org.archrepair.repair.corrupt.Pixels.W;
import static org.archrepair.repair.corrupt.Pixels.clip01;

/**
 * brightness, contrast and pixelate of CIFAR-10-C (jpeg_compression is {@link Jpeg}), with the
 * reference's parameters and the arithmetic of the libraries it calls: skimage's rgb2hsv / hsv2rgb
 * and Pillow's BOX resampling.
 */
final class Digital {
    static final double[] BRIGHTNESS = {0.05, 0.1, 0.15, 0.2, 0.3};
    static final double[] CONTRAST = {0.75, 0.5, 0.4, 0.3, 0.15};
    static final double[] PIXELATE = {0.95, 0.9, 0.85, 0.75, 0.65};

    private Digital() {
    }

    /** In HSV, V <- clip(V + c); back to RGB. */
    static byte[] brightness(byte[] x, int severity) {
        double c = BRIGHTNESS[severity - 1];
        double[] v = Pixels.unit(x), out = new double[v.length], hsv = new double[3], rgb = new double[3];
        for (int i = 0; i < PLANE; i++) {
            rgbToHsv(v[i], v[PLANE + i], v[2 * PLANE + i], hsv);
            hsvToRgb(hsv[0], hsv[1], clip01(hsv[2] + c), rgb);
            for (int ch = 0; ch < C; ch++) out[ch * PLANE + i] = rgb[ch];
        }
        return Pixels.fromUnit(out);
    }

    /** clip((x - mean) c + mean), the mean per channel over the image. */
    static byte[] contrast(byte[] x, int severity) {
        double c = CONTRAST[severity - 1];
        double[] v = Pixels.unit(x);
        for (int ch = 0; ch < C; ch++) {
            double mean = 0;
            for (int i = 0; i < PLANE; i++) mean += v[ch * PLANE + i];
            mean /= PLANE;
            for (int i = 0; i < PLANE; i++) v[ch * PLANE + i] = (v[ch * PLANE + i] - mean) * c + mean;
        }
        return Pixels.fromUnit(v);
    }

    /** Pillow BOX down to floor(32 c) square, then BOX back up to 32. */
    static byte[] pixelate(byte[] x, int severity) {
        int size = (int) (H * PIXELATE[severity - 1]);
        return PillowBox.resize(PillowBox.resize(x, C, H, W, size, size), C, size, size, H, W);
    }

    /** skimage.color.rgb2hsv of one pixel: ties for the maximum go to blue, then green, then red. */
    static void rgbToHsv(double r, double g, double b, double[] hsv) {
        double v = Math.max(r, Math.max(g, b)), delta = v - Math.min(r, Math.min(g, b));
        double s = delta == 0 ? 0 : delta / v, h = 0;
        if (delta != 0) {
            if (b == v) h = 4 + (r - g) / delta;
            else if (g == v) h = 2 + (b - r) / delta;
            else h = (g - b) / delta;
            h = h / 6 % 1;
            if (h < 0) h += 1;   // numpy's % takes the sign of the divisor
        }
        hsv[0] = h;
        hsv[1] = s;
        hsv[2] = v;
    }

    /** skimage.color.hsv2rgb of one pixel. */
    static void hsvToRgb(double h, double s, double v, double[] rgb) {
        double hi = Math.floor(h * 6), f = h * 6 - hi;
        double p = v * (1 - s), q = v * (1 - f * s), t = v * (1 - (1 - f) * s);
        switch (((int) hi % 6 + 6) % 6) {
            case 0 -> set(rgb, v, t, p);
            case 1 -> set(rgb, q, v, p);
            case 2 -> set(rgb, p, v, t);
            case 3 -> set(rgb, p, q, v);
            case 4 -> set(rgb, t, p, v);
            default -> set(rgb, v, p, q);
        }
    }

    private static void set(double[] rgb, double r, double g, double b) {
        rgb[0] = r;
        rgb[1] = g;
        rgb[2] = b;
    }

    /**
     * Pillow's {@code Image.resize(size, Image.BOX)} on uint8 planes: each output pixel averages the
     * source pixels whose centres fall in its footprint (x - 0.5, x + 0.5] (scaled), horizontal
     * pass first, each pass in Pillow's fixed point (22 fraction bits, rounded, clamped to 0..255).
     */
    static final class PillowBox {
        private static final int PRECISION_BITS = 32 - 8 - 2;

        private PillowBox() {
        }

        /** (C, h, w) uint8 to (C, outH, outW). */
        static byte[] resize(byte[] x, int c, int h, int w, int outH, int outW) {
            int[][] kx = coefficients(w, outW), ky = coefficients(h, outH);
            byte[] tmp = new byte[c * h * outW], out = new byte[c * outH * outW];
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int ox = 0; ox < outW; ox++) {
                        int[] k = kx[ox];
                        long ss = 1L << (PRECISION_BITS - 1);
                        for (int j = 1; j < k.length; j++) ss += (long) (x[(ch * h + y) * w + k[0] + j - 1] & 0xff) * k[j];
                        tmp[(ch * h + y) * outW + ox] = clip8(ss);
                    }
            for (int ch = 0; ch < c; ch++)
                for (int oy = 0; oy < outH; oy++)
                    for (int ox = 0; ox < outW; ox++) {
                        int[] k = ky[oy];
                        long ss = 1L << (PRECISION_BITS - 1);
                        for (int j = 1; j < k.length; j++) ss += (long) (tmp[(ch * h + k[0] + j - 1) * outW + ox] & 0xff) * k[j];
                        out[(ch * outH + oy) * outW + ox] = clip8(ss);
                    }
            return out;
        }

        /** Per output pixel: {first source index, fixed-point weights...} as Pillow's precompute_coeffs makes them. */
        static int[][] coefficients(int in, int out) {
            double scale = (double) in / out, filterScale = Math.max(scale, 1), support = 0.5 * filterScale;
            int[][] k = new int[out][];
            for (int o = 0; o < out; o++) {
                double centre = (o + 0.5) * scale, ss = 1 / filterScale;
                int min = Math.max((int) (centre - support + 0.5), 0);
                int max = Math.min((int) (centre + support + 0.5), in) - min;
                double[] w = new double[max];
                double sum = 0;
                for (int j = 0; j < max; j++) {
                    double t = (j + min - centre + 0.5) * ss;
                    sum += w[j] = t > -0.5 && t <= 0.5 ? 1 : 0;
                }
                k[o] = new int[max + 1];
                k[o][0] = min;
                for (int j = 0; j < max; j++) {
                    double normalized = sum != 0 ? w[j] / sum : w[j];
                    k[o][j + 1] = (int) (normalized < 0 ? -0.5 + normalized * (1 << PRECISION_BITS)
                            : 0.5 + normalized * (1 << PRECISION_BITS));
                }
            }
            return k;
        }

        private static byte clip8(long ss) {
            long v = ss >> PRECISION_BITS;
            return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}
