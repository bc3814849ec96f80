package org.archrepair.models.data;

import org.archrepair.engine.io.JsonFormat;

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
 * <p>The published Tiny-ImageNet-C is not in that layout but in folders of 64 x 64 JPEG images,
 * {@code <corruption>/<severity>/<wnid>/*.JPEG}; a folder without labels.npy is read that way,
 * labels numbered by the sorted wnids (as torchvision's ImageFolder and {@link TinyImageNet} do),
 * images in wnid then file name order, severities in ascending order.
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
        boolean npy = Files.isRegularFile(dir.resolve(LABELS));
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            if (npy)
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy") && !n.equals(LABELS))
                        .map(n -> n.substring(0, n.length() - 4)).forEach(names::add);
            else
                files.filter(p -> !jpegSeverities(p).isEmpty()).map(p -> p.getFileName().toString()).forEach(names::add);
        }
        if (names.isEmpty())
            throw new IOException(dir + " is not a corruption folder: it has neither " + LABELS + " with <corruption>.npy "
                    + "files (CIFAR-10-C) nor <corruption>/<severity>/<wnid>/ image folders (Tiny-ImageNet-C)");
        names.sort(Comparator.comparingInt((String n) -> STANDARD.contains(n) ? STANDARD.indexOf(n) : STANDARD.size())
                .thenComparing(Comparator.naturalOrder()));
        return names;
    }

    /** One corruption of the folder; classes name the labels (the clean dataset's classes). */
    public static Corrupted load(Path dir, String corruption, List<String> classes) throws IOException {
        if (!Files.isRegularFile(dir.resolve(LABELS)) && Files.isDirectory(dir.resolve(corruption)))
            return loadJpegFolders(dir, corruption, classes);
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

    /** The severity folders 1..5 of a Tiny-ImageNet-C corruption folder, ascending; empty if it is not one. */
    private static List<Integer> jpegSeverities(Path corruption) {
        List<Integer> out = new ArrayList<>();
        for (int s : ALL_SEVERITIES) if (Files.isDirectory(corruption.resolve(Integer.toString(s)))) out.add(s);
        return out;
    }

    private static Corrupted loadJpegFolders(Path dir, String corruption, List<String> classes) throws IOException {
        List<Integer> severities = jpegSeverities(dir.resolve(corruption));
        if (severities.isEmpty()) throw new IOException(dir.resolve(corruption) + " has no severity folders 1..5");
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>(), severityOf = new ArrayList<>();
        List<String> wnids = null;
        for (int s : severities) {
            Path level = dir.resolve(corruption).resolve(Integer.toString(s));
            List<String> ids;
            try (Stream<Path> sub = Files.list(level)) {
                ids = sub.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            }
            if (wnids == null) wnids = ids;
            else if (!wnids.equals(ids)) throw new IOException(level + " has other class folders than severity " + severities.getFirst());
            if (ids.size() != classes.size())
                throw new IOException(level + " has " + ids.size() + " class folders, the clean dataset " + classes.size() + " classes");
            for (int c = 0; c < ids.size(); c++)
                try (Stream<Path> images = Files.list(level.resolve(ids.get(c)))) {
                    for (Path p : images.filter(TinyImageNet::isImage).sorted().toList()) {
                        files.add(p);
                        labels.add(c);
                        severityOf.add(s);
                    }
                }
        }
        if (files.size() % severities.size() != 0)
            throw new IOException(dir.resolve(corruption) + " holds " + files.size() + " images, not the same number per severity");
        byte[] pixels = TinyImageNet.decodeAll(dir.resolve(corruption), files, Progress.NONE);
        ImageDataset set = new ImageDataset(dir.getFileName() + "/" + corruption, pixels,
                labels.stream().mapToInt(Integer::intValue).toArray(), classes, TinyImageNet.CHANNELS, TinyImageNet.SIDE,
                TinyImageNet.SIDE);
        return new Corrupted(corruption, set, severityOf.stream().mapToInt(Integer::intValue).toArray(), severities);
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
            parsed = JsonFormat.parse(Files.readString(manifest));
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
