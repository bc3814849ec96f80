package org.archrepair.repair.corrupt;

import org.archrepair.engine.Rng;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The corruptions by their CIFAR-10-C names: the 15 of the benchmark and of the ArchRepair paper
 * (in the order of the reference generator, {@link #STANDARD}) and gaussian_blur, which the paper's
 * "GB" may also mean. Each maps one (3, 32, 32) uint8 image and a severity 1..5 to a new image,
 * drawing what it needs from the Rng it is given; only frost needs more (its textures).
 */
public enum Corruption {
    GAUSSIAN_NOISE((x, s, r, f) -> Noise.gaussian(x, s, r)),
    SHOT_NOISE((x, s, r, f) -> Noise.shot(x, s, r)),
    IMPULSE_NOISE((x, s, r, f) -> Noise.impulse(x, s, r)),
    DEFOCUS_BLUR((x, s, r, f) -> Blurs.defocus(x, s)),
    GLASS_BLUR((x, s, r, f) -> Blurs.glass(x, s, r)),
    MOTION_BLUR((x, s, r, f) -> Blurs.motion(x, s, r)),
    ZOOM_BLUR((x, s, r, f) -> Blurs.zoom(x, s)),
    SNOW((x, s, r, f) -> Weather.snow(x, s, r)),
    FROST((x, s, r, f) -> Weather.frost(x, s, r, f)),
    FOG((x, s, r, f) -> Weather.fog(x, s, r)),
    BRIGHTNESS((x, s, r, f) -> Digital.brightness(x, s)),
    CONTRAST((x, s, r, f) -> Digital.contrast(x, s)),
    ELASTIC_TRANSFORM((x, s, r, f) -> Elastic.transform(x, s, r)),
    PIXELATE((x, s, r, f) -> Digital.pixelate(x, s)),
    JPEG_COMPRESSION((x, s, r, f) -> Jpeg.compress(x, s)),
    GAUSSIAN_BLUR((x, s, r, f) -> Blurs.gaussian(x, s));

    /** The 15 corruptions of CIFAR-10-C in the reference generator's order. */
    public static final List<Corruption> STANDARD = List.of(Arrays.copyOf(values(), 15));
    public static final int SEVERITIES = 5;

    @FunctionalInterface
    private interface Op {
        byte[] apply(byte[] x, int severity, Rng rng, FrostTextures frost);
    }

    private final Op op;

    Corruption(Op op) {
        this.op = op;
    }

    /** The CIFAR-10-C name: gaussian_noise, ..., jpeg_compression, gaussian_blur. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The corrupted image. x: (3, 32, 32) uint8, not modified; frost may be null for every
     * corruption but FROST.
     */
    public byte[] apply(byte[] x, int severity, Rng rng, FrostTextures frost) {
        if (x.length != Pixels.SIZE)
            throw new IllegalArgumentException(id() + ": expected a 3x32x32 image (" + Pixels.SIZE + " bytes), got " + x.length);
        if (severity < 1 || severity > SEVERITIES)
            throw new IllegalArgumentException(id() + ": severity must be 1..5, got " + severity);
        if (this == FROST && frost == null) throw new IllegalArgumentException("frost needs its textures");
        return op.apply(x, severity, rng, frost);
    }

    public static Corruption byId(String id) {
        for (Corruption c : values()) if (c.id().equals(id)) return c;
        throw new IllegalArgumentException("unknown corruption '" + id + "'; known: "
                + Arrays.stream(values()).map(Corruption::id).collect(Collectors.joining(", ")));
    }
}
