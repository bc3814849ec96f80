package org.archrepair.bench;

import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.Pool2dSpec;

/**
 * The shapes the benchmarks run, by the names used as JMH {@code @Param} values, so that a name
 * in a result file maps back to one spec (the report computes FLOP counts from it).
 *
 * <p>Convolutions (all 3x3, padding 1, no bias):
 * <pre>
 * r20-16x32x32     N=128  16x32x32 -> 16, stride 1   ResNet-20 stage 1 (CIFAR-10, batch 128)
 * r20-32x16x16     N=128  32x16x16 -> 32             stage 2
 * r20-64x8x8       N=128  64x8x8   -> 64             stage 3
 * r20-16x32x32-s2  N=128  16x32x32 -> 32, stride 2   first conv of stage 2
 * r20-32x16x16-s2  N=128  32x16x16 -> 64, stride 2   first conv of stage 3
 * r18-64x32x32     N=32   64x32x32 -> 64             ResNet-18 for CIFAR (kuangliu), batch 32
 * r18-128x16x16    N=32   128x16x16 -> 128
 * r18-256x8x8      N=32   256x8x8  -> 256
 * r18-512x4x4      N=32   512x4x4  -> 512
 * dw-16x32x32      N=128  depthwise (groups = C = K = 16), the DARTS sep/dil-conv building block
 * dw-32x16x16      N=128  depthwise, 32 channels
 * dw-64x8x8        N=128  depthwise, 64 channels
 * </pre>
 * Activations for pooling and batch norm are written {@code NxCxHxW}; pooling windows
 * {@code KxKsSpP} (kernel, stride, padding); loss shapes {@code ROWSxCLASSES}.
 *
 * <p>What this is not: the models' layer definitions (those live in the models module).
 */
public final class Layers {
    private Layers() {
    }

    public static Conv2dSpec conv(String name) {
        return switch (name) {
            case "r20-16x32x32" -> Conv2dSpec.of(128, 16, 32, 32, 16, 3, 1, 1, 1, 1);
            case "r20-32x16x16" -> Conv2dSpec.of(128, 32, 16, 16, 32, 3, 1, 1, 1, 1);
            case "r20-64x8x8" -> Conv2dSpec.of(128, 64, 8, 8, 64, 3, 1, 1, 1, 1);
            case "r20-16x32x32-s2" -> Conv2dSpec.of(128, 16, 32, 32, 32, 3, 2, 1, 1, 1);
            case "r20-32x16x16-s2" -> Conv2dSpec.of(128, 32, 16, 16, 64, 3, 2, 1, 1, 1);
            case "r18-64x32x32" -> Conv2dSpec.of(32, 64, 32, 32, 64, 3, 1, 1, 1, 1);
            case "r18-128x16x16" -> Conv2dSpec.of(32, 128, 16, 16, 128, 3, 1, 1, 1, 1);
            case "r18-256x8x8" -> Conv2dSpec.of(32, 256, 8, 8, 256, 3, 1, 1, 1, 1);
            case "r18-512x4x4" -> Conv2dSpec.of(32, 512, 4, 4, 512, 3, 1, 1, 1, 1);
            case "dw-16x32x32" -> Conv2dSpec.of(128, 16, 32, 32, 16, 3, 1, 1, 1, 16);
            case "dw-32x16x16" -> Conv2dSpec.of(128, 32, 16, 16, 32, 3, 1, 1, 1, 32);
            case "dw-64x8x8" -> Conv2dSpec.of(128, 64, 8, 8, 64, 3, 1, 1, 1, 64);
            default -> throw new IllegalArgumentException("unknown conv layer '" + name + "'");
        };
    }

    /** "128x16x32x32" -> {128, 16, 32, 32} */
    public static int[] activation(String nchw) {
        int[] d = ints(nchw, "x");
        if (d.length != 4) throw new IllegalArgumentException("expected NxCxHxW, got '" + nchw + "'");
        return d;
    }

    /** Activation "NxCxHxW" and window "KxKsSpP" ("3x3s1p1", "2x2s2" with padding 0). */
    public static Pool2dSpec pool(String nchw, String window) {
        int[] d = activation(nchw);
        String[] ks = window.split("s", 2);
        int[] kernel = ints(ks[0], "x");
        String[] sp = ks[1].split("p", 2);
        int stride = Integer.parseInt(sp[0]), pad = sp.length > 1 ? Integer.parseInt(sp[1]) : 0;
        return new Pool2dSpec(d[0], d[1], d[2], d[3], kernel[0], kernel[1], stride, stride, pad, pad);
    }

    /** Activation "NxCxHxW" normalized per channel, eps 1e-5, momentum 0.1 (PyTorch's defaults). */
    public static BatchNormSpec batchNorm(String nchw) {
        int[] d = activation(nchw);
        return BatchNormSpec.of(d[0], d[1], d[2] * d[3]);
    }

    /** "128x10" -> {rows, classes} */
    public static int[] logits(String shape) {
        int[] d = ints(shape, "x");
        if (d.length != 2) throw new IllegalArgumentException("expected ROWSxCLASSES, got '" + shape + "'");
        return d;
    }

    private static int[] ints(String s, String separator) {
        String[] parts = s.split(separator);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i]);
        return out;
    }
}
