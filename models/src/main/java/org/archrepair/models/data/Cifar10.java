package org.archrepair.models.data;

import org.archrepair.engine.io.ReadBudget;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CIFAR-10 in the official binary layout ({@code cifar-10-batches-bin}): each {@code .bin} file is
 * a run of 3,073-byte records, a label byte 0..9 then 1,024 red, 1,024 green and 1,024 blue bytes
 * (32x32 planes, row by row), which is exactly the (C, H, W) layout of {@link ImageDataset}.
 *
 * <p>A source is a folder of {@code .bin} or {@code .bin.gz} files, a folder holding
 * {@code cifar-10-batches-bin/} or {@code cifar-10-binary.tar.gz}, the archive itself (tar,
 * gzipped or not), or one batch file ({@code *.bin} or {@code *.bin.gz}, e.g. {@code test_batch.bin.gz}),
 * which is then the whole split asked for (with a {@code batches.meta.txt[.gz]} beside it, if any).
 * A size that is not a multiple of 3,073, a label above 9, a truncated gzip or tar stream or a
 * missing batch is a {@link DatasetException} naming the file and the byte offset. Everything one
 * load holds is taken from one {@link ReadBudget} before it is allocated, so a decompression bomb
 * or a member declaring terabytes is refused with a message.
 *
 * <p>What it is not: it never extracts the archive to disk and never downloads (see
 * {@link Downloader} and {@link #resolve}).
 */
public final class Cifar10 {
    public static final int RECORD_BYTES = 3073, CHANNELS = 3, SIDE = 32, CLASSES = 10;
    public static final String FOLDER = "cifar-10-batches-bin", ARCHIVE = "cifar-10-binary.tar.gz";
    public static final String META = "batches.meta.txt", TEST_FILE = "test_batch.bin";
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    /**
     * SHA-256 of the six official uncompressed batch files, as published for the official archive by
     * GitHub ankane/torchvision-ruby (lib/torchvision/datasets/cifar10.rb) and listed in
     * shared/data/cifar10/README.md.
     */
    public static final Map<String, String> OFFICIAL_SHA256 = Map.of(
            "data_batch_1.bin", "cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5",
            "data_batch_2.bin", "a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed",
            "data_batch_3.bin", "bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67",
            "data_batch_4.bin", "014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48",
            "data_batch_5.bin", "755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add",
            "test_batch.bin", "8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b");

    private Cifar10() {
    }

    /** The split from a folder or archive (see the class comment), without checking official hashes. */
    public static ImageDataset load(Path source, Split split) throws IOException {
        return load(source, split, false);
    }

    /**
     * The split from a folder or archive. With verifyOfficialHashes, each batch's uncompressed bytes
     * must also have the official SHA-256 (a modified or re-encoded copy is then an error).
     */
    public static ImageDataset load(Path source, Split split, boolean verifyOfficialHashes) throws IOException {
        return load(source, split, verifyOfficialHashes, ReadBudget.ofHeap());
    }

    /** The same within a given budget for everything the load holds (batches, then the dataset). */
    static ImageDataset load(Path source, Split split, boolean verifyOfficialHashes, ReadBudget budget)
            throws IOException {
        List<String> wanted = split == Split.TRAIN ? TRAIN_FILES : List.of(TEST_FILE);
        Map<String, Member> files = read(source, wanted, budget);
        Member meta = files.get(META);
        List<String> classes = meta != null ? parseMeta(meta.file, meta.origin, meta.data) : CLASS_NAMES;
        List<byte[]> batches = new ArrayList<>();
        long total = 0;
        for (String name : wanted) {
            Member m = files.get(name);
            if (m == null) continue;   // a single batch file stands for the split
            checkRecords(m.file, m.origin, m.data);
            if (verifyOfficialHashes) checkHash(m.file, m.origin, m.name, m.data);
            batches.add(m.data);
            total += m.data.length / RECORD_BYTES * (RECORD_BYTES - 1L);
        }
        if (total > ReadBudget.MAX_ARRAY || !budget.tryTake(total))
            throw new DatasetException(source, "CIFAR-10 " + split.lower() + " split in " + source + ": its images take "
                    + total + " bytes, " + budget.explain());
        return assemble("cifar10-" + split.lower(), batches, classes);
    }

    /**
     * Where to read CIFAR-10 from: the local folder, which must hold CIFAR-10 files in a layout
     * above; or, when localFolder is null, the official archive in the downloader's cache, fetched
     * and verified if needed (never fetched in offline mode).
     */
    public static Path resolve(Path localFolder, Downloader downloader, Progress progress) throws IOException {
        if (localFolder == null) return downloader.fetch(Artifact.CIFAR10_BINARY, progress);
        if (Files.isRegularFile(localFolder) || hasCifarFiles(localFolder)) return localFolder;
        throw new DatasetException(localFolder, "no CIFAR-10 files in " + localFolder + ": looked for " + TEST_FILE + "[.gz], "
                + TRAIN_FILES.getFirst() + "[.gz], " + FOLDER + "/ and " + ARCHIVE
                + " (leave the folder unset to use the download cache)");
    }

    // ---------------------------------------------------------------- locating files

    /**
     * A file's bytes (uncompressed), the file they came from (the archive for a member), how
     * messages name them (a path, or "archive!entry") and the batch they are (e.g. test_batch.bin).
     */
    private record Member(Path file, String origin, String name, byte[] data) {
    }

    /** The meta file is ten short lines. */
    private static final int MAX_META_BYTES = 1 << 16;

    private static boolean hasCifarFiles(Path dir) {
        return Files.isDirectory(dir) && (findInFolder(dir, TEST_FILE) != null || findInFolder(dir, TRAIN_FILES.get(0)) != null
                || Files.isDirectory(dir.resolve(FOLDER)) || Files.isRegularFile(dir.resolve(ARCHIVE)));
    }

    private static Map<String, Member> read(Path source, List<String> wanted, ReadBudget budget) throws IOException {
        if (Files.isRegularFile(source))
            return isBatchFile(source) ? readBatchFile(source, wanted, budget) : readArchive(source, wanted, budget);
        if (!Files.isDirectory(source)) throw new DatasetException(source, "CIFAR-10 source " + source + " does not exist");
        boolean direct = wanted.stream().anyMatch(n -> findInFolder(source, n) != null)
                || findInFolder(source, META) != null;
        if (!direct && Files.isDirectory(source.resolve(FOLDER))) return read(source.resolve(FOLDER), wanted, budget);
        if (!direct && Files.isRegularFile(source.resolve(ARCHIVE)))
            return readArchive(source.resolve(ARCHIVE), wanted, budget);
        Map<String, Member> out = new LinkedHashMap<>();
        for (String name : wanted) {
            Path p = findInFolder(source, name);
            if (p == null)
                throw new DatasetException(source.resolve(name), "missing CIFAR-10 file " + source.resolve(name)
                        + " (also looked for " + name + ".gz)");
            out.put(name, new Member(p, p.toString(), name, FileBytes.readAll(p, budget)));
        }
        putMeta(out, findInFolder(source, META));
        return out;
    }

    /** A file named *.bin or *.bin.gz is one batch; any other file is read as a tar archive (gzipped or not). */
    private static boolean isBatchFile(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".bin") || n.endsWith(".bin.gz");
    }

    /** One batch file as the whole split; an official batch of the other split is an error. */
    private static Map<String, Member> readBatchFile(Path file, List<String> wanted, ReadBudget budget)
            throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.gz$", "");
        boolean official = OFFICIAL_SHA256.containsKey(name);
        if (official && !wanted.contains(name) || official && wanted.size() > 1)
            throw new DatasetException(file, file + " is the CIFAR-10 batch " + name + "; this split needs "
                    + String.join(", ", wanted) + " (give --data their folder or the archive)");
        Map<String, Member> out = new LinkedHashMap<>();
        out.put(wanted.getFirst(), new Member(file, file.toString(), name, FileBytes.readAll(file, budget)));
        Path parent = file.toAbsolutePath().getParent();
        putMeta(out, parent == null ? null : findInFolder(parent, META));
        return out;
    }

    private static void putMeta(Map<String, Member> out, Path meta) throws IOException {
        if (meta != null)
            out.put(META, new Member(meta, meta.toString(), META, FileBytes.readAll(meta, new ReadBudget(MAX_META_BYTES))));
    }

    private static Path findInFolder(Path dir, String name) {
        Path plain = dir.resolve(name), gz = dir.resolve(name + ".gz");
        return Files.isRegularFile(plain) ? plain : Files.isRegularFile(gz) ? gz : null;
    }

    /** Read the wanted members (by base name) and the meta file from a tar or tar.gz in one pass. */
    private static Map<String, Member> readArchive(Path archive, List<String> wanted, ReadBudget budget)
            throws IOException {
        Map<String, Member> out = new LinkedHashMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             InputStream tarStream = FileBytes.maybeGunzip(raw, archive, archive.toString())) {
            boolean gz = tarStream != raw;
            TarReader tar = new TarReader(tarStream, archive, archive + (gz ? " (tar inside gzip)" : ""));
            for (TarReader.Entry e; (e = tar.next()) != null; ) {
                String base = e.name().substring(e.name().lastIndexOf('/') + 1);
                if (!e.isFile() || out.containsKey(base) || !(wanted.contains(base) || base.equals(META))) continue;
                byte[] data = tar.readData(base.equals(META) ? new ReadBudget(MAX_META_BYTES) : budget);
                out.put(base, new Member(archive, archive + "!" + e.name(), base, data));
            }
        }
        for (String name : wanted)
            if (!out.containsKey(name))
                throw new DatasetException(archive, "missing CIFAR-10 batch: archive " + archive + " has no entry "
                        + FOLDER + "/" + name);
        return out;
    }

    // ---------------------------------------------------------------- parsing

    /** Size a multiple of 3,073 and every label byte in 0..9; label names the file in errors. */
    static void checkRecords(Path file, String label, byte[] data) throws DatasetException {
        if (data.length == 0)
            throw new DatasetException(file, label + ": file is empty, expected records of " + RECORD_BYTES + " bytes");
        if (data.length % RECORD_BYTES != 0) {
            long lastStart = (long) (data.length / RECORD_BYTES) * RECORD_BYTES;
            throw new DatasetException(file, label + ": size " + data.length + " bytes is not a multiple of the " + RECORD_BYTES
                    + "-byte record; the record at byte " + lastStart + " is cut short after "
                    + (data.length - lastStart) + " bytes (truncated file?)");
        }
        for (int r = 0, n = data.length / RECORD_BYTES; r < n; r++) {
            int l = data[r * RECORD_BYTES] & 0xff;
            if (l >= CLASSES)
                throw new DatasetException(file, label + ": label " + l + " at byte " + (long) r * RECORD_BYTES + " (record " + r
                        + ") is not in 0..9 (corrupt file, or not CIFAR-10 binary)");
        }
    }

    private static void checkHash(Path file, String label, String name, byte[] data) throws DatasetException {
        String expected = OFFICIAL_SHA256.get(name), actual = FileBytes.sha256(data);
        if (!actual.equals(expected))
            throw new DatasetException(file, label + ": SHA-256 of the uncompressed data is " + actual + ", the official " + name
                    + " has " + expected);
    }

    static List<String> parseMeta(Path file, String label, byte[] data) throws DatasetException {
        List<String> names = new String(data, StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        if (names.size() != CLASSES)
            throw new DatasetException(file, label + ": expected " + CLASSES + " class names, one per line, found " + names.size());
        return names;
    }

    private static ImageDataset assemble(String name, List<byte[]> batches, List<String> classes) {
        int n = 0;
        for (byte[] b : batches) n += b.length / RECORD_BYTES;
        int per = RECORD_BYTES - 1;
        byte[] pixels = new byte[n * per];   // (N, 3, 32, 32)
        int[] labels = new int[n];
        int i = 0;
        for (byte[] b : batches) {
            for (int r = 0; r < b.length / RECORD_BYTES; r++, i++) {
                labels[i] = b[r * RECORD_BYTES] & 0xff;
                System.arraycopy(b, r * RECORD_BYTES + 1, pixels, i * per, per);
            }
        }
        return new ImageDataset(name, pixels, labels, classes, CHANNELS, SIDE, SIDE);
    }
}
