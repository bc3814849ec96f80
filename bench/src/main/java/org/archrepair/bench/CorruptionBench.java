package org.archrepair.bench;

import org.archrepair.repair.corrupt.Corruption;
import org.archrepair.repair.corrupt.Corruptor;
import org.archrepair.repair.corrupt.FrostTextures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One CIFAR-10-C corruption on one thread: an operation corrupts 64 images at all five severities
 * (320 images; divide by 320 for the time per image, and multiply by 50,000 / threads for a
 * CIFAR-10-C file). The images are seeded smooth colour waves with an edge, so the benchmark needs
 * no data; frost uses the procedural texture (the same crop and blend work as the originals).
 *
 * <p>There is no peer: the reference generator is Python with Wand/ImageMagick, not in this
 * build. What this is not: a correctness check (repair's CorruptionTest and FormulaTest).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class CorruptionBench {
    static final int IMAGES = 64;

    @Param({"gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
            "snow", "frost", "fog", "brightness", "contrast", "elastic_transform", "pixelate", "jpeg_compression",
            "gaussian_blur"})
    public String corruption;

    private Corruption c;
    private Corruptor corruptor;
    private byte[][] images;

    @Setup(Level.Trial)
    public void setUp() {
        Forks.requireJvmFlags();
        c = Corruption.byId(corruption);
        corruptor = new Corruptor(1, FrostTextures.procedural(1));
        images = new byte[IMAGES][];
        for (int i = 0; i < IMAGES; i++) images[i] = image(i);
    }

    @Benchmark
    public void ours(Blackhole bh) {
        for (int s = 1; s <= 5; s++)
            for (int i = 0; i < IMAGES; i++) bh.consume(corruptor.apply(c, s, i, images[i]));
    }

    /** (3, 32, 32) uint8: smooth colour waves and a vertical edge, seeded by i. */
    static byte[] image(int i) {
        SplittableRandom r = new SplittableRandom(i);
        byte[] x = new byte[3 * 32 * 32];
        int edge = 8 + r.nextInt(16);
        for (int ch = 0; ch < 3; ch++) {
            double fx = r.nextDouble(0.1, 0.6), fy = r.nextDouble(0.1, 0.6), phase = r.nextDouble(6.3), base = r.nextDouble(70, 180);
            for (int y = 0; y < 32; y++)
                for (int xx = 0; xx < 32; xx++) {
                    double v = base + 45 * Math.sin(fx * xx + fy * y + phase) + (xx < edge ? -25 : 25) + 8 * r.nextDouble();
                    x[(ch * 32 + y) * 32 + xx] = (byte) Math.max(0, Math.min(255, (int) v));
                }
        }
        return x;
    }
}
