package org.archrepair.kernels.cpu.ref;

import org.archrepair.kernels.ChannelCopySpec;

/** Scalar reference channel copy (concat / split), channel shuffle and the DARTS mixed sum. */
public final class ChannelRef {
    private ChannelRef() {
    }

    public static void copyChannels(ChannelCopySpec s, float[] src, float[] dst, boolean accumulate) {
        int block = s.count() * s.hw();
        for (int n = 0; n < s.n(); n++) {
            int si = (n * s.srcC() + s.srcStart()) * s.hw(), di = (n * s.dstC() + s.dstStart()) * s.hw();
            if (accumulate) for (int i = 0; i < block; i++) dst[di + i] += src[si + i];
            else System.arraycopy(src, si, dst, di, block);
        }
    }

    /** y[:, j * groups + g] = x[:, g * (c / groups) + j] */
    public static void channelShuffle(int n, int c, int hw, int groups, float[] x, float[] y) {
        if (c % groups != 0)
            throw new IllegalArgumentException("channel shuffle: " + groups + " groups do not divide " + c + " channels");
        int per = c / groups;
        for (int b = 0; b < n; b++)
            for (int g = 0; g < groups; g++)
                for (int j = 0; j < per; j++)
                    System.arraycopy(x, (b * c + g * per + j) * hw, y, (b * c + j * groups + g) * hw, hw);
    }

    /** y = sum_i w_i x_i */
    public static void mixedSum(float[][] xs, float[] w, float[] y) {
        java.util.Arrays.fill(y, 0f);
        for (int k = 0; k < xs.length; k++) {
            float wk = w[k];
            float[] x = xs[k];
            for (int i = 0; i < y.length; i++) y[i] += wk * x[i];
        }
    }

    /** dx_i = w_i dy; dw_i = sum(x_i dy) */
    public static void mixedSumBackward(float[][] xs, float[] w, float[] dy, float[][] dxs, float[] dw) {
        for (int k = 0; k < xs.length; k++) {
            if (dxs[k] != null) for (int i = 0; i < dy.length; i++) dxs[k][i] = w[k] * dy[i];
            if (dw != null) dw[k] = (float) ElementwiseRef.dot(xs[k], dy);
        }
    }
}
