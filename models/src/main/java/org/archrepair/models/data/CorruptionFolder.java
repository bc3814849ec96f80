package org.archrepair.models.data;

import org.archrepair.engine.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder of corrupted test sets in the CIFAR-10-C layout: one {@code <corruption>.npy} per
 * corruption, uint8 (k * N, H, W, 3) with the k severities concatenated in order (N images each),
 * and {@code labels.npy} with the k * N labels. The published CIFAR-10-C folder holds severities
 * 1..5 (50,000 images per file); a folder written by {@code archrepair corrupt} also has a
 * {@code manifest.json} whose {@code "severities"} says which ones it holds.
 *
 * <p>What it is not: a generator (see the repair module's {@code corrupt} package) and it holds
 * nothing in memory between calls: each {@link #load} reads one corruption (153.6 MB for a CIFAR-10
 * corruption at five severities).
 */
public final class CorruptionFolder {
    public static final String LABELS = "labels.npy", MANIFEST = "manifest.json";
    /** The 15 corruptions of CIFAR-10-C (and of the ArchRepair paper) in the order of their generator. */
    public static final List<String> STANDARD = List.of("gaussian_noise", "shot_noise", "impulse_noise",
            "defocus_blur", "glass_blur", "motion_blur", "zoom_blur", "snow", "frost", "fog", "brightness", "contrast",
            "elastic_transform", "pixelate", "jpeg_compression");
    private static final List<Integer> ALL_SEVERITIES = List.of(1, 2, 3, 4, 5);

    private CorruptionFolder() {
    }

    /**
     * One corruption at all the severities of its file: images (k * N, in file order), the severity
     * of each index, and the severities in the order the file holds them.
     */
    public record Corrupted(String corruption, ImageDataset images, int[] severityOf, List<Integer> severities) {
        /** Images per severity (N). */
        public int perSeverity() {
            return images.size() / severities.size();
        }

        /** The dataset indices of one severity, ascending. */
        public int[] indicesOf(int severity) {
            int block = severities.indexOf(severity);
            if (block < 0) throw new IllegalArgumentException(corruption + " has no severity " + severity + "; it has " + severities);
            int n = perSeverity();
            int[] out = new int[n];
            for (int i = 0; i < n; i++) out[i] = block * n + i;
            return out;
        }
    }

    /**
     * The corruptions a folder holds: the names of its {@code .npy} files other than labels.npy, the
     * 15 standard ones first in CIFAR-10-C's order, then the others (gaussian_blur, speckle_noise,
     * ...) alphabetically.
     */
    public static List<String> corruptions(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("corruption folder " + dir + " does not exist");
        if (!Files.isRegularFile(dir.resolve(LABELS)))
            throw new IOException(dir + " is not a corruption folder in the CIFAR-10-C layout: it has no " + LABELS);
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy") && !n.equals(LABELS))
                    .map(n -> n.substring(0, n.length() - 4)).forEach(names::add);
        }
        if (names.isEmpty()) throw new IOException(dir + " has " + LABELS + " but no <corruption>.npy file");
        names.sort(Comparator.comparingInt((String n) -> STANDARD.contains(n) ? STANDARD.indexOf(n) : STANDARD.size())
                .thenComparing(Comparator.naturalOrder()));
        return names;
    }

    /** One corruption of the folder; classes name the labels (the clean dataset's classes). */
    public static Corrupted load(Path dir, String corruption, List<String> classes) throws IOException {
        Path file = dir.resolve(corruption + ".npy");
        if (!Files.isRegularFile(file))
            throw new IOException("no corruption '" + corruption + "' in " + dir + " (no " + file.getFileName()
                    + "); it holds " + String.join(", ", corruptions(dir)));
        Npy.Images im = Npy.readImages(file);
        int[] labels = Npy.readLabels(dir.resolve(LABELS));
        if (labels.length != im.n())
            throw new IOException(file + " holds " + im.n() + " images but " + dir.resolve(LABELS) + " has "
                    + labels.length + " labels");
        for (int i = 0; i < labels.length; i++)
            if (labels[i] >= classes.size())
                throw new IOException(dir.resolve(LABELS) + ": label " + labels[i] + " at index " + i + " is not one of the "
                        + classes.size() + " classes of the clean dataset");
        List<Integer> severities = severities(dir, file, im.n());
        int per = im.n() / severities.size();
        int[] severityOf = new int[im.n()];
        for (int i = 0; i < severityOf.length; i++) severityOf[i] = severities.get(i / per);
        ImageDataset set = new ImageDataset(dir.getFileName() + "/" + corruption, im.chw(), labels, classes,
                im.channels(), im.height(), im.width());
        return new Corrupted(corruption, set, severityOf, severities);
    }

    /** The severities a file holds: the manifest's list, else 1..5 (the published layout). */
    static List<Integer> severities(Path dir, Path file, int n) throws IOException {
        Path manifest = dir.resolve(MANIFEST);
        List<Integer> severities = ALL_SEVERITIES;
        String origin = "the published layout (severities 1..5; a folder with others needs a " + MANIFEST + ")";
        if (Files.isRegularFile(manifest)) {
            severities = manifestSeverities(manifest);
            origin = manifest.toString();
        }
        if (n % severities.size() != 0)
            throw new IOException(file + " holds " + n + " images, not a multiple of the " + severities.size()
                    + " severities of " + origin);
        return severities;
    }

    private static List<Integer> manifestSeverities(Path manifest) throws IOException {
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(manifest));
        } catch (IllegalArgumentException e) {
            throw new IOException(manifest + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        if (!(parsed instanceof Map<?, ?> m) || !(m.get("severities") instanceof List<?> list) || list.isEmpty())
            throw new IOException(manifest + ": expected an object with a non-empty \"severities\" list");
        List<Integer> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Long v) || v < 1 || v > 5 || out.contains(v.intValue()))
                throw new IOException(manifest + ": \"severities\" must be distinct integers 1..5, got " + list);
            out.add(v.intValue());
        }
        return List.copyOf(out);
    }
}
