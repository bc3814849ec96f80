package org.archrepair.repair.baselines;

/**
 * The AdaIN-like transfer that stands in for DeepRepair's WCT2 (photorealistic wavelet style
 * transfer, a VGG encoder and decoder we do not have): every channel of the content image is moved
 * to the style image's mean and standard deviation, out_c = (x_c - mu_x,c) / sigma_x,c * sigma_s,c
 * + mu_s,c, on pixel values, rounded and clipped to 0..255; a flat content channel takes the style's
 * mean. It carries a failure's color and contrast statistics (what noise, fog or contrast
 * corruptions change most) but none of its texture.
 */
final class StyleTransfer {
    private StyleTransfer() {
    }

    /** Per-channel statistics of a uint8 image (C, H, W): {mean_0, std_0, mean_1, std_1, ...} (population std). */
    static double[] stats(byte[] img, int channels) {
        int plane = img.length / channels;
        double[] s = new double[2 * channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0, sq = 0;
            for (int i = 0; i < plane; i++) {
                double v = img[c * plane + i] & 0xff;
                sum += v;
                sq += v * v;
            }
            double mean = sum / plane;
            s[2 * c] = mean;
            s[2 * c + 1] = Math.sqrt(Math.max(0, sq / plane - mean * mean));
        }
        return s;
    }

    /** The content image with the style statistics (from {@link #stats}). */
    static byte[] transfer(byte[] content, int channels, double[] style) {
        double[] own = stats(content, channels);
        int plane = content.length / channels;
        byte[] out = new byte[content.length];
        for (int c = 0; c < channels; c++) {
            double mu = own[2 * c], sd = own[2 * c + 1], smu = style[2 * c], ssd = style[2 * c + 1];
            for (int i = 0; i < plane; i++) {
                double v = content[c * plane + i] & 0xff;
                out[c * plane + i] = ImageOps.clamp(sd == 0 ? smu : (v - mu) / sd * ssd + smu);
            }
        }
        return out;
    }
}
