package org.archrepair.repair.corrupt;

import org.archrepair.engine.Rng;
import org.archrepair.models.data.Artifact;
import org.archrepair.models.data.Downloader;
import org.archrepair.models.data.Progress;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The frost overlays of CIFAR-10-C: the five textures the reference draws from
 * (hendrycks/robustness, ImageNet-C/create_c/frost1.png .. frost5.jpg; frost6.jpg is never used),
 * verified by SHA-256, read from a folder or fetched into the download cache, then shrunk as the
 * reference does: {@code cv2.resize(fx=fy=0.2)} with INTER_LINEAR, which at an exact factor of 5
 * samples source pixel (5y + 2, 5x + 2) with weight 1 (no averaging), and the alpha channel of the
 * PNGs dropped as {@code cv2.imread} drops it.
 *
 * <p>When neither a folder nor the cache nor the network has them, {@link #resolve} falls back to
 * a procedural texture and says so; frost images are then not those of CIFAR-10-C.
 */
public final class FrostTextures {
    static final int COUNT = 5;
    private static final String BASE = "https://raw.githubusercontent.com/hendrycks/robustness/"
            + "8190fe329f5f072a06e3a2aea02bb5dda69aed9f/ImageNet-C/create_c/";
    /** The five textures the reference draws from, with the sizes and hashes of shared/data/frost/README.md. */
    public static final List<Artifact> ARTIFACTS = List.of(
            artifact("frost1.png", "ff9f907860bd7a835d459e32f9d588062b7f61ee267343cc7222b56753a14755", 1_199_930),
            artifact("frost2.png", "fe211a89b336999c207a852ce05818d4545d0b57c5beadd824b4cc9d9a9b6137", 299_002),
            artifact("frost3.png", "2d0d50b4a9bb213f38b024ef7768731bb83cc08d2f26b5766bbc167cdfa0e504", 299_002),
            artifact("frost4.jpg", "3f8b91ca1a9fa7167b09e773da53f5ae60d0a1fd88f02a783f6e328a72887f6e", 36_734),
            artifact("frost5.jpg", "5fc6a19df4a429ba68abdcc8f8a4278d4c9f81c9ccafd2c92ab0c8cf8992ebd2", 155_150));

    /** One shrunk texture, (3, height, width) uint8 RGB. */
    record Texture(int height, int width, byte[] rgb) {
        int value(int c, int y, int x) {
            return rgb[(c * height + y) * width + x] & 0xff;
        }
    }

    private final List<Texture> textures;
    private final String source;
    private final boolean procedural;

    private FrostTextures(List<Texture> textures, String source, boolean procedural) {
        this.textures = List.copyOf(textures);
        this.source = source;
        this.procedural = procedural;
    }

    /** Where the textures came from, for reports: a folder, the cache, or "procedural fallback (seed S)". */
    public String source() {
        return source;
    }

    public boolean isProcedural() {
        return procedural;
    }

    Texture get(int i) {
        return textures.get(i);
    }

    private static Artifact artifact(String name, String sha256, long size) {
        return new Artifact(name, URI.create(BASE + name), sha256, size);
    }

    /**
     * The original textures: from folder when given (every file must be there with its hash, else an
     * error), else from the download cache or the network; when those fail, the procedural fallback,
     * announced through warn.
     */
    public static FrostTextures resolve(Path folder, Downloader downloader, Progress progress, long seed,
                                        Consumer<String> warn) throws IOException {
        if (folder != null) return fromFolder(folder);
        List<Path> files = new ArrayList<>();
        try {
            for (Artifact a : ARTIFACTS) files.add(downloader.fetch(a, progress));
        } catch (IOException e) {
            warn.accept("WARNING: the original frost textures are unavailable (" + e.getMessage() + "); frost uses a "
                    + "procedural texture instead, so its images are not those of CIFAR-10-C. Give --frost DIR "
                    + "(a copy of hendrycks/robustness ImageNet-C/create_c/frost*.png|jpg) to use the originals.");
            return procedural(seed);
        }
        return decode(files, "download cache " + files.getFirst().getParent());
    }

    /** The five textures from a folder, each checked against its published SHA-256. */
    public static FrostTextures fromFolder(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Artifact a : ARTIFACTS) {
            Path p = dir.resolve(a.fileName());
            if (!Files.isRegularFile(p)) throw new IOException("frost folder " + dir + " has no " + a.fileName());
            String actual = sha256(p);
            if (!actual.equals(a.sha256()))
                throw new IOException(p + " has SHA-256 " + actual + ", expected " + a.sha256()
                        + " (the published frost texture of hendrycks/robustness)");
            files.add(p);
        }
        return decode(files, dir.toString());
    }

    private static FrostTextures decode(List<Path> files, String source) throws IOException {
        List<Texture> out = new ArrayList<>();
        for (Path p : files) {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) throw new IOException(p + ": not an image javax.imageio can decode");
            out.add(shrink(img));
        }
        return new FrostTextures(out, source, false);
    }

    /** cv2.resize(img, (0, 0), fx=0.2, fy=0.2): size round(0.2 n), pixel (5y + 2, 5x + 2). */
    static Texture shrink(BufferedImage img) {
        int h = (int) Math.rint(img.getHeight() * 0.2), w = (int) Math.rint(img.getWidth() * 0.2);
        byte[] rgb = new byte[3 * h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int sy = Math.min(img.getHeight() - 1, 5 * y + 2), sx = Math.min(img.getWidth() - 1, 5 * x + 2);
                int argb = img.getRGB(sx, sy);
                for (int c = 0; c < 3; c++) rgb[(c * h + y) * w + x] = (byte) (argb >> (16 - 8 * c));
            }
        return new Texture(h, w, rgb);
    }

    /**
     * The stated fallback (ALGORITHM.md section 10): five 64 x 64 maps of value noise (four octaves)
     * plus thin bright streaks (line segments with a Gaussian fall-off), tinted bluish white and
     * scaled to a mean of 155 on 0..255.
     */
    public static FrostTextures procedural(long seed) {
        List<Texture> out = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) out.add(proceduralTexture(new Rng(seed).fork("frost-procedural/" + i), 64));
        return new FrostTextures(out, "procedural fallback (seed " + seed + ")", true);
    }

    private static Texture proceduralTexture(Rng rng, int n) {
        double[] v = new double[n * n];
        for (int octave = 0, cells = 4; octave < 4; octave++, cells *= 2) {
            double amplitude = 1.0 / (1 << octave);
            double[] grid = new double[(cells + 1) * (cells + 1)];
            for (int i = 0; i < grid.length; i++) grid[i] = rng.nextDouble();
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++) {
                    double gy = (double) y * cells / n, gx = (double) x * cells / n;
                    int iy = (int) gy, ix = (int) gx;
                    double ty = smooth(gy - iy), tx = smooth(gx - ix);
                    double top = (1 - tx) * grid[iy * (cells + 1) + ix] + tx * grid[iy * (cells + 1) + ix + 1];
                    double bottom = (1 - tx) * grid[(iy + 1) * (cells + 1) + ix] + tx * grid[(iy + 1) * (cells + 1) + ix + 1];
                    v[y * n + x] += amplitude * ((1 - ty) * top + ty * bottom);
                }
        }
        for (int s = 0; s < 40; s++) streak(v, n, rng);
        double mean = 0;
        for (double e : v) mean += e / v.length;
        double[] tint = {0.90, 0.96, 1.04};
        byte[] rgb = new byte[3 * n * n];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < n * n; i++) rgb[c * n * n + i] = (byte) Math.min(255, Math.round(155 * v[i] / mean * tint[c]));
        return new Texture(n, n, rgb);
    }

    private static void streak(double[] v, int n, Rng rng) {
        double x0 = rng.nextDouble() * n, y0 = rng.nextDouble() * n, angle = rng.nextDouble() * Math.PI;
        double length = 5 + 15 * rng.nextDouble(), brightness = 0.5 + rng.nextDouble();
        double dx = Math.cos(angle), dy = Math.sin(angle);
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                double along = Math.max(0, Math.min(length, (x - x0) * dx + (y - y0) * dy));
                double ex = x - (x0 + along * dx), ey = y - (y0 + along * dy);
                v[y * n + x] += brightness * Math.exp(-(ex * ex + ey * ey) / (2 * 0.7 * 0.7));
            }
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
