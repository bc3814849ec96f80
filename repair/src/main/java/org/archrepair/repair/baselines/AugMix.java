package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;

/**
 * AugMix (Hendrycks et al., ICLR 2020; {@code google-research/augmix: augmentations.py, cifar.py}),
 * as DeepRepair's {@code repairing.py} extends it: {@code width} chains of 1-3 ops (or {@code depth})
 * drawn from autocontrast, equalize, posterize, rotate, solarize, shear x/y, translate x/y, plus an
 * optional guided op; chain weights ~ Dirichlet(alpha), the chains' mix blended with the image by
 * m ~ Beta(alpha, alpha). A guided op drawn in a chain is applied first, the chain's other ops after
 * it, as DeepRepair applies its WCT2 image (Few-Shot mixes in a failure, DeepRepair a style
 * transfer). Works on uint8 (C, H, W) and returns the mixture as floats in [0, 1]: normalization is
 * affine and the mixing weights sum to 1, so mixing before normalizing equals the original's mixing
 * after it.
 *
 * <p>Parameters follow augmentations.py: level = U(0.1, severity); int_parameter(level, max) =
 * int(level max / 10), float_parameter(level, max) = level max / 10; a random sign where the
 * original draws one.
 */
record AugMix(int width, int depth, int severity, double alpha) {
    static final AugMix DEFAULT = new AugMix(3, -1, 3, 1.0);
    /** The operations of augmentations.augmentations, in its order. */
    static final String[] OPS = {"autocontrast", "equalize", "posterize", "rotate", "solarize", "shear_x", "shear_y",
            "translate_x", "translate_y"};

    AugMix {
        if (width < 1 || severity < 1 || !(alpha > 0)) throw new IllegalArgumentException("AugMix: bad parameters");
    }

    /** The op a method adds to the list (the original's tenth op): image, its label and dataset index. */
    interface GuidedOp {
        byte[] apply(byte[] image, int label, int index, Rng rng);
    }

    /** One augmented mixture of image (C, H, W): floats in [0, 1], (C, H, W). guided may be null. */
    float[] mix(byte[] image, int channels, int height, int width, int label, int index, GuidedOp guided, Rng rng) {
        double[] ws = dirichlet(this.width, rng);
        double m = beta(rng);
        int ops = OPS.length + (guided != null ? 1 : 0);
        double[] mix = new double[image.length];
        for (int chain = 0; chain < this.width; chain++) {
            int d = depth > 0 ? depth : 1 + rng.nextInt(3);
            int[] chosen = new int[d];
            boolean guidedDrawn = false;
            for (int k = 0; k < d; k++) {
                chosen[k] = rng.nextInt(ops);
                if (chosen[k] == OPS.length) guidedDrawn = true;
            }
            byte[] aug = image;
            if (guidedDrawn) aug = guided.apply(aug, label, index, rng);
            for (int op : chosen) if (op < OPS.length) aug = apply(OPS[op], aug, channels, height, width, rng);
            for (int i = 0; i < mix.length; i++) mix[i] += ws[chain] * (aug[i] & 0xff) / 255.0;
        }
        float[] out = new float[image.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) ((1 - m) * (image[i] & 0xff) / 255.0 + m * mix[i]);
        return out;
    }

    /** One base op at this severity, its parameters drawn from rng in the original's order. */
    byte[] apply(String op, byte[] img, int channels, int height, int width, Rng rng) {
        return switch (op) {
            case "autocontrast" -> ImageOps.autocontrast(img, channels, height, width);
            case "equalize" -> ImageOps.equalize(img, channels, height, width);
            case "posterize" -> ImageOps.posterize(img, 4 - intParameter(level(rng), 4));
            case "rotate" -> ImageOps.rotate(img, channels, height, width, signed(intParameter(level(rng), 30), rng));
            case "solarize" -> ImageOps.solarize(img, 256 - intParameter(level(rng), 256));
            case "shear_x" -> ImageOps.affine(img, channels, height, width, 1, signed(floatParameter(level(rng), 0.3), rng),
                    0, 0, 1, 0);
            case "shear_y" -> ImageOps.affine(img, channels, height, width, 1, 0, 0,
                    signed(floatParameter(level(rng), 0.3), rng), 1, 0);
            case "translate_x" -> ImageOps.affine(img, channels, height, width, 1, 0,
                    signed(intParameter(level(rng), width / 3.0), rng), 0, 1, 0);
            case "translate_y" -> ImageOps.affine(img, channels, height, width, 1, 0, 0, 0, 1,
                    signed(intParameter(level(rng), height / 3.0), rng));
            default -> throw new IllegalArgumentException("unknown AugMix op " + op);
        };
    }

    private double level(Rng rng) {
        return 0.1 + (severity - 0.1) * rng.nextDouble();
    }

    static int intParameter(double level, double max) {
        return (int) (level * max / 10);
    }

    static double floatParameter(double level, double max) {
        return level * max / 10;
    }

    private static double signed(double v, Rng rng) {
        return rng.nextDouble() > 0.5 ? -v : v;
    }

    /** Dirichlet(alpha, ..., alpha) by normalized Gamma(alpha) draws. */
    double[] dirichlet(int k, Rng rng) {
        double[] g = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) sum += g[i] = gamma(alpha, rng);
        for (int i = 0; i < k; i++) g[i] /= sum;
        return g;
    }

    /** Beta(alpha, alpha) = G1 / (G1 + G2). */
    double beta(Rng rng) {
        double a = gamma(alpha, rng), b = gamma(alpha, rng);
        return a / (a + b);
    }

    /** Gamma(shape, 1) by Marsaglia-Tsang (shape >= 1; shape < 1 by the U^(1/shape) boost). */
    static double gamma(double shape, Rng rng) {
        if (shape < 1) return gamma(shape + 1, rng) * Math.pow(1 - rng.nextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.normal(), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = 1 - rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
        }
    }
}
