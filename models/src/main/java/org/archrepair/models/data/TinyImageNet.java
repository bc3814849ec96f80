package org.archrepair.models.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Tiny-ImageNet-200 from its published folder layout: {@code wnids.txt} (the class ids),
 * optional {@code words.txt} (id, tab, names), {@code train/<wnid>/images/*.JPEG} and
 * {@code val/images/*.JPEG} labelled by {@code val/val_annotations.txt} (file, tab, wnid, ...).
 * Images are 64x64 RGB, decoded with javax.imageio (greyscale images are replicated to three
 * channels without colour conversion).
 *
 * <p>Labels follow the sorted wnids, as torchvision's ImageFolder numbers them; class names are
 * the first name in words.txt, or the wnid. Train images are ordered by class, then file name; val
 * images in the order of val_annotations.txt. TEST means the labelled val folder (the official test
 * folder has no labels). Decoding runs in parallel; progress counts images.
 *
 * <p>What it is not: no resizing (an image that is not 64x64 is an error naming it) and no other
 * ImageNet variant. Java's JPEG decoder may differ from libjpeg (PIL) by a grey level on some pixels.
 */
public final class TinyImageNet {
    public static final int SIDE = 64, CHANNELS = 3;

    private TinyImageNet() {
    }

    public static ImageDataset load(Path root, Split split, Progress progress) throws IOException {
        List<String> wnids = readWnids(root);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < wnids.size(); i++) index.put(wnids.get(i), i);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        if (split == Split.TRAIN) listTrain(root, wnids, files, labels);
        else listVal(root, index, files, labels);
        byte[] pixels = decodeAll(files, progress);
        int[] l = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageDataset("tiny-imagenet-" + split.lower(), pixels, l, classNames(root, wnids), CHANNELS, SIDE,
                SIDE);
    }

    private static List<String> readWnids(Path root) throws IOException {
        Path f = root.resolve("wnids.txt");
        if (!Files.isRegularFile(f)) throw new IOException("not a Tiny-ImageNet folder: " + f + " is missing");
        List<String> ids = Files.readAllLines(f, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).sorted().toList();
        if (ids.isEmpty()) throw new IOException(f + " lists no class ids");
        if (ids.stream().distinct().count() != ids.size()) throw new IOException(f + " lists a class id twice");
        return ids;
    }

    private static List<String> classNames(Path root, List<String> wnids) throws IOException {
        Path words = root.resolve("words.txt");
        Map<String, String> names = new HashMap<>();
        if (Files.isRegularFile(words))
            for (String line : Files.readAllLines(words, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) names.put(line.substring(0, tab), line.substring(tab + 1).split(",")[0].strip());
            }
        return wnids.stream().map(w -> names.getOrDefault(w, w)).toList();
    }

    private static void listTrain(Path root, List<String> wnids, List<Path> files, List<Integer> labels)
            throws IOException {
        for (int c = 0; c < wnids.size(); c++) {
            Path dir = root.resolve("train").resolve(wnids.get(c)).resolve("images");
            if (!Files.isDirectory(dir)) throw new IOException("missing Tiny-ImageNet class folder " + dir);
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> images = s.filter(TinyImageNet::isImage).sorted().toList();
                if (images.isEmpty()) throw new IOException(dir + " has no images");
                files.addAll(images);
                for (int i = 0; i < images.size(); i++) labels.add(c);
            }
        }
    }

    private static void listVal(Path root, Map<String, Integer> index, List<Path> files, List<Integer> labels)
            throws IOException {
        Path ann = root.resolve("val").resolve("val_annotations.txt");
        if (!Files.isRegularFile(ann)) throw new IOException("missing Tiny-ImageNet validation labels " + ann);
        List<String> lines = Files.readAllLines(ann, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) continue;
            String[] parts = lines.get(n).split("\t");
            Integer label = parts.length >= 2 ? index.get(parts[1].strip()) : null;
            if (label == null)
                throw new IOException(ann + " line " + (n + 1) + ": expected 'file<TAB>wnid' with a wnid from wnids.txt, got '"
                        + lines.get(n) + "'");
            Path img = root.resolve("val").resolve("images").resolve(parts[0].strip());
            if (!Files.isRegularFile(img)) throw new IOException(ann + " line " + (n + 1) + ": image " + img + " is missing");
            files.add(img);
            labels.add(label);
        }
        if (files.isEmpty()) throw new IOException(ann + " lists no images");
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".jpeg") || n.endsWith(".jpg") || n.endsWith(".png");
    }

    /** Decode every file into (N, 3, 64, 64) uint8, in parallel, each image into its own slot (also for Tiny-ImageNet-C). */
    static byte[] decodeAll(List<Path> files, Progress progress) throws IOException {
        int per = CHANNELS * SIDE * SIDE;
        byte[] pixels = new byte[files.size() * per];
        AtomicLong done = new AtomicLong();
        Object lock = new Object();
        try {
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                decode(files.get(i), pixels, i * per);
                long d = done.incrementAndGet();
                if (d % 256 == 0 || d == files.size())
                    synchronized (lock) {
                        progress.update(d, files.size());
                    }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return pixels;
    }

    private static void decode(Path file, byte[] dst, int offset) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) throw new IOException(file + ": not an image javax.imageio can decode");
            if (img.getWidth() != SIDE || img.getHeight() != SIDE)
                throw new IOException(file + ": image is " + img.getWidth() + "x" + img.getHeight() + ", expected 64x64");
            toChw(img, dst, offset);
        } catch (IOException e) {
            String m = e.getMessage();
            throw new UncheckedIOException(m != null && m.contains(file.toString()) ? e
                    : new IOException(file + ": cannot decode (" + m + ")", e));
        }
    }

    /** A grey sample of any depth as 0..255: 16-bit keeps the high byte, 1/2/4-bit are stretched. */
    private static int greyLevel(int sample, int bits) {
        return bits == 8 ? sample : bits > 8 ? sample >> (bits - 8) : sample * 255 / ((1 << bits) - 1);
    }

    /** Copy an image into dst (3, H, W): grey rasters are replicated, colour images read as sRGB. */
    static void toChw(BufferedImage img, byte[] dst, int offset) {
        int h = img.getHeight(), w = img.getWidth(), plane = h * w;
        Raster r = img.getRaster();
        boolean grey = r.getNumBands() == 1 && img.getColorModel().getNumColorComponents() == 1;
        int bits = r.getSampleModel().getSampleSize(0);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = offset + y * w + x;
                if (grey) {
                    byte v = (byte) greyLevel(r.getSample(x, y, 0), bits);
                    dst[i] = v;
                    dst[i + plane] = v;
                    dst[i + 2 * plane] = v;
                } else {
                    int rgb = img.getRGB(x, y);
                    dst[i] = (byte) (rgb >> 16);
                    dst[i + plane] = (byte) (rgb >> 8);
                    dst[i + 2 * plane] = (byte) rgb;
                }
            }
    }
}
