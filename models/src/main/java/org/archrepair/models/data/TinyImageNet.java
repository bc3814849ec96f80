package org.archrepair.models.data;

import org.archrepair.engine.io.ReadBudget;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
 * <p>The folder is untrusted: the text files are read only up to a size no genuine copy reaches,
 * an image's width and height are read from its header and checked before it is decoded (a
 * 100,000 x 100,000 PNG is refused, not allocated), its metadata is ignored (no compressed ICC
 * profile is inflated), and the split's pixels are taken from a {@link ReadBudget}. Every failure
 * is a {@link DatasetException} naming the file (and the line of a text file).
 *
 * <p>What it is not: no resizing (an image that is not 64x64 is an error naming it) and no other
 * ImageNet variant. Java's JPEG decoder may differ from libjpeg (PIL) by a grey level on some pixels.
 */
public final class TinyImageNet {
    public static final int SIDE = 64, CHANNELS = 3;
    /** The published wnids.txt has 2 KB, words.txt 2.6 MB, val_annotations.txt 0.4 MB. */
    private static final int MAX_LIST_BYTES = 1 << 20, MAX_WORDS_BYTES = 64 << 20, MAX_ANNOTATION_BYTES = 16 << 20;

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
        byte[] pixels = decodeAll(root, files, progress);
        int[] l = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageDataset("tiny-imagenet-" + split.lower(), pixels, l, classNames(root, wnids), CHANNELS, SIDE,
                SIDE);
    }

    private static List<String> readWnids(Path root) throws IOException {
        Path f = root.resolve("wnids.txt");
        if (!Files.isRegularFile(f)) throw new DatasetException(f, "not a Tiny-ImageNet folder: " + f + " is missing");
        List<String> ids = FileBytes.readText(f, MAX_LIST_BYTES).lines().map(String::strip)
                .filter(s -> !s.isEmpty()).sorted().toList();
        if (ids.isEmpty()) throw new DatasetException(f, f + " lists no class ids");
        if (ids.stream().distinct().count() != ids.size()) throw new DatasetException(f, f + " lists a class id twice");
        return ids;
    }

    private static List<String> classNames(Path root, List<String> wnids) throws IOException {
        Path words = root.resolve("words.txt");
        Map<String, String> names = new HashMap<>();
        if (Files.isRegularFile(words))
            for (String line : FileBytes.readText(words, MAX_WORDS_BYTES).lines().toList()) {
                int tab = line.indexOf('\t');
                if (tab > 0) names.put(line.substring(0, tab), line.substring(tab + 1).split(",")[0].strip());
            }
        return wnids.stream().map(w -> names.getOrDefault(w, w)).toList();
    }

    private static void listTrain(Path root, List<String> wnids, List<Path> files, List<Integer> labels)
            throws IOException {
        for (int c = 0; c < wnids.size(); c++) {
            Path dir = root.resolve("train").resolve(wnids.get(c)).resolve("images");
            if (!Files.isDirectory(dir)) throw new DatasetException(dir, "missing Tiny-ImageNet class folder " + dir);
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> images = s.filter(TinyImageNet::isImage).sorted().toList();
                if (images.isEmpty()) throw new DatasetException(dir, dir + " has no images");
                files.addAll(images);
                for (int i = 0; i < images.size(); i++) labels.add(c);
            }
        }
    }

    private static void listVal(Path root, Map<String, Integer> index, List<Path> files, List<Integer> labels)
            throws IOException {
        Path ann = root.resolve("val").resolve("val_annotations.txt");
        if (!Files.isRegularFile(ann)) throw new DatasetException(ann, "missing Tiny-ImageNet validation labels " + ann);
        List<String> lines = FileBytes.readText(ann, MAX_ANNOTATION_BYTES).lines().toList();
        for (int n = 0; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) continue;
            String[] parts = lines.get(n).split("\t");
            Integer label = parts.length >= 2 ? index.get(parts[1].strip()) : null;
            if (label == null)
                throw new DatasetException(ann, ann + " line " + (n + 1) + ": expected 'file<TAB>wnid' with a wnid from "
                        + "wnids.txt, got '" + preview(lines.get(n)) + "'");
            Path images = root.resolve("val").resolve("images"), img = images.resolve(parts[0].strip()).normalize();
            if (!img.startsWith(images) || !Files.isRegularFile(img))
                throw new DatasetException(ann, ann + " line " + (n + 1) + ": image " + img + " is missing");
            files.add(img);
            labels.add(label);
        }
        if (files.isEmpty()) throw new DatasetException(ann, ann + " lists no images");
    }

    private static String preview(String line) {
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".jpeg") || n.endsWith(".jpg") || n.endsWith(".png");
    }

    /** Decode every file into (N, 3, 64, 64) uint8, in parallel, each image into its own slot (also for Tiny-ImageNet-C); root names the folder in errors. */
    static byte[] decodeAll(Path root, List<Path> files, Progress progress) throws IOException {
        int per = CHANNELS * SIDE * SIDE;
        long bytes = (long) files.size() * per;
        ReadBudget budget = ReadBudget.ofHeap();
        if (bytes > ReadBudget.MAX_ARRAY || !budget.tryTake(bytes))
            throw new DatasetException(root, root + ": " + files.size() + " images of 64x64x3 take " + bytes + " bytes, "
                    + budget.explain());
        byte[] pixels = new byte[(int) bytes];
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
            toChw(read64(file), dst, offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The image in file, after its header says 64x64. The decoders are the JDK's (javax.imageio),
     * whose runtime exceptions on corrupt data (IndexOutOfBounds, IllegalArgument and others) are
     * turned into the one error naming the file here, where they are called.
     */
    static BufferedImage read64(Path file) throws DatasetException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext())
                throw new DatasetException(file, file + ": not an image javax.imageio can decode");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);   // forward only, metadata ignored
                int w = reader.getWidth(0), h = reader.getHeight(0);
                if (w != SIDE || h != SIDE)
                    throw new DatasetException(file, file + ": image is " + w + "x" + h + ", expected 64x64");
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (DatasetException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(file, file + ": cannot decode (" + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")", e);
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
