package org.archrepair.repair.cli;

import org.archrepair.engine.io.AtomicFile;
import org.archrepair.engine.io.JsonFormat;
import org.archrepair.models.data.CorruptionFolder;
import org.archrepair.models.data.Downloader;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Npy;
import org.archrepair.models.data.Split;
import org.archrepair.repair.corrupt.ContactSheet;
import org.archrepair.repair.corrupt.Corruption;
import org.archrepair.repair.corrupt.Corruptor;
import org.archrepair.repair.corrupt.FrostTextures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** archrepair corrupt: the CIFAR-10-C corruptions of a dataset, written in the CIFAR-10-C layout. */
@Command(name = "corrupt", mixinStandardHelpOptions = true,
        description = "Write corrupted copies of the CIFAR-10 test (or training) set in the CIFAR-10-C layout: "
                + "<corruption>.npy (uint8, N x 32 x 32 x 3, the severities concatenated in order), labels.npy and "
                + "manifest.json. The same --seed gives the same images for any subset of corruptions, severities "
                + "and threads. With --contact-sheet, draws a PNG of every corruption and severity instead.")
public final class CorruptCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;
    @Mixin
    CommonOptions common;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT", description = "test or train. Default: ${DEFAULT-VALUE}.")
    String split;
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (created; files are replaced atomically).")
    Path out;
    @Option(names = "--corruptions", split = ",", paramLabel = "NAME",
            description = "Corruptions to write, comma-separated, or 'all' (the 15 of CIFAR-10-C and gaussian_blur). "
                    + "Default: the 15 of CIFAR-10-C.")
    List<String> corruptions;
    @Option(names = "--severities", split = ",", paramLabel = "S", description = "Severities 1..5, in the order to "
            + "concatenate them. Default: 1,2,3,4,5.")
    List<Integer> severities;
    @Option(names = "--frost", paramLabel = "DIR", description = "Folder with the original frost textures "
            + "(frost1.png .. frost5.jpg of hendrycks/robustness). Default: the download cache, fetched if needed; "
            + "a procedural texture (announced) when neither works.")
    Path frost;
    @Option(names = "--images", paramLabel = "N", description = "Only the first N images of the split (quick looks, tests).")
    Integer images;
    @Option(names = "--contact-sheet", paramLabel = "FILE", description = "Write a PNG of all corruptions x severities on "
            + "--sheet-images instead of the .npy files.")
    Path contactSheet;
    @Option(names = "--sheet-images", split = ",", defaultValue = "3,7,23", paramLabel = "I",
            description = "Image indices for --contact-sheet. Default: ${DEFAULT-VALUE}.")
    int[] sheetImages;
    @Option(names = "--sheet-scale", defaultValue = "2", paramLabel = "K", description = "Pixel size on the contact sheet. Default: ${DEFAULT-VALUE}.")
    int sheetScale;

    @Override
    public Integer call() throws Exception {
        List<Corruption> chosen = chosenCorruptions();
        List<Integer> levels = chosenSeverities();
        if (out == null && contactSheet == null) throw new IllegalArgumentException("--out DIR is required (or --contact-sheet FILE)");
        ImageDataset set = data.load(EvaluateCommand.parseSplit(split));
        if (images != null) set = first(set, images);
        FrostTextures textures = chosen.contains(Corruption.FROST) ? frostTextures() : null;
        Corruptor corruptor = new Corruptor(common.seed, textures);
        if (contactSheet != null) {
            for (int i : sheetImages)
                if (i < 0 || i >= set.size()) throw new IllegalArgumentException("--sheet-images " + i + ": " + set.name() + " has " + set.size() + " images");
            ContactSheet.write(contactSheet, ContactSheet.draw(set, sheetImages, chosen, corruptor, sheetScale));
            System.out.println("wrote " + contactSheet);
            return 0;
        }
        Map<String, Object> manifest = manifest(set, levels, textures);
        Map<String, Object> seconds = new LinkedHashMap<>();
        if (manifest.get("seconds") instanceof Map<?, ?> old) old.forEach((k, v) -> seconds.put((String) k, v));
        for (Corruption c : chosen) {
            long start = System.nanoTime();
            byte[] chw;
            try (ProgressBar bar = new ProgressBar(c.id(), (long) levels.size() * set.size(), "img")) {
                chw = corruptor.corrupt(set, c, levels, common.threads(), (done, total) -> {
                    synchronized (bar) {
                        bar.set(done, total);
                    }
                });
            }
            double generated = (System.nanoTime() - start) / 1e9;
            Npy.writeImages(out.resolve(c.id() + ".npy"), chw, levels.size() * set.size(), set.channels(), set.height(), set.width());
            seconds.put(c.id(), generated);   // generation only, without writing the file
            System.out.printf("%-18s %,d images in %.1f s (%,.0f images/s on %d threads)%n", c.id(),
                    levels.size() * set.size(), generated, levels.size() * set.size() / generated, common.threads());
        }
        int[] labels = new int[levels.size() * set.size()];
        for (int j = 0; j < levels.size(); j++)
            for (int i = 0; i < set.size(); i++) labels[j * set.size() + i] = set.label(i);
        Npy.writeLabels(out.resolve(CorruptionFolder.LABELS), labels);
        manifest.put("corruptions", merged((List<?>) manifest.get("corruptions"), chosen));
        manifest.put("seconds", seconds);
        AtomicFile.writeString(out.resolve(CorruptionFolder.MANIFEST), JsonFormat.writePretty(manifest));
        System.out.printf("total %.1f s; wrote %s%n", chosen.stream().mapToDouble(c -> (Double) seconds.get(c.id())).sum(), out);
        return 0;
    }

    private List<Corruption> chosenCorruptions() {
        if (corruptions == null) return Corruption.STANDARD;
        if (corruptions.equals(List.of("all"))) return List.of(Corruption.values());
        List<Corruption> list = new ArrayList<>();
        for (String name : corruptions) {
            try {
                list.add(Corruption.byId(name.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--corruptions: " + e.getMessage());
            }
        }
        return List.copyOf(new LinkedHashSet<>(list));
    }

    private List<Integer> chosenSeverities() {
        if (severities == null) return List.of(1, 2, 3, 4, 5);
        if (severities.isEmpty() || severities.stream().anyMatch(s -> s < 1 || s > 5)
                || new LinkedHashSet<>(severities).size() != severities.size())
            throw new IllegalArgumentException("--severities " + severities + ": expected distinct values 1..5");
        return List.copyOf(severities);
    }

    private FrostTextures frostTextures() throws IOException {
        try (ProgressBar bar = new ProgressBar("download frost textures", 0, "B")) {
            FrostTextures t = FrostTextures.resolve(frost, Downloader.fromEnvironment(), (d, total) -> bar.set(d, total),
                    common.seed, System.err::println);
            System.err.println("frost textures: " + t.source());
            return t;
        }
    }

    /**
     * The manifest of the output folder: a new one, or the existing one when it describes the same
     * images, seed and severities (more corruptions may then be added to the folder).
     */
    private Map<String, Object> manifest(ImageDataset set, List<Integer> levels, FrostTextures textures) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", "archrepair corrupt");
        m.put("source", set.name());
        m.put("images", (long) set.size());
        m.put("severities", levels.stream().map(Integer::longValue).toList());
        m.put("seed", common.seed);
        m.put("corruptions", List.of());
        Path file = out.resolve(CorruptionFolder.MANIFEST);
        if (Files.isRegularFile(file)) {
            Map<?, ?> old = (Map<?, ?>) JsonFormat.parse(Files.readString(file));
            for (String key : List.of("source", "images", "severities", "seed"))
                if (!m.get(key).equals(old.get(key)))
                    throw new IllegalArgumentException("--out " + out + " already holds corruptions with " + key + " "
                            + old.get(key) + ", this run has " + m.get(key) + "; use another folder");
            m.put("corruptions", old.get("corruptions"));
            m.put("seconds", old.get("seconds"));
            if (old.get("frost") != null) m.put("frost", old.get("frost"));
        }
        if (textures != null) m.put("frost", textures.source());
        return m;
    }

    private static List<String> merged(List<?> old, List<Corruption> added) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        if (old != null) old.forEach(o -> names.add((String) o));
        added.forEach(c -> names.add(c.id()));
        return List.copyOf(names);
    }

    private static ImageDataset first(ImageDataset set, int n) {
        if (n < 1 || n > set.size()) throw new IllegalArgumentException("--images " + n + ": " + set.name() + " has " + set.size());
        byte[] pixels = new byte[n * set.imageBytes()];
        for (int i = 0; i < n; i++) set.copyImage(i, pixels, i * set.imageBytes());
        return new ImageDataset(set.name(), pixels, Arrays.copyOf(set.labels(), n), set.classes(), set.channels(),
                set.height(), set.width());
    }
}
