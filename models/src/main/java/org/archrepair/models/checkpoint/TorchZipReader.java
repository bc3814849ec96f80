package org.archrepair.models.checkpoint;

import org.archrepair.engine.io.ReadBudget;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip format of {@code torch.save} (PyTorch 1.6+): entries under one top folder
 * ({@code <archive>/data.pkl}, the pickled object; {@code <archive>/data/<key>}, each storage's raw
 * bytes; {@code <archive>/byteorder}, "little" or "big", little if absent; {@code version} and
 * other records, ignored). Storages are referenced from data.pkl by persistent ids.
 *
 * <p>The archive is untrusted: the directory may list at most one entry per 76 bytes of file (a
 * central and a local header each), an entry's declared size must be one its compressed bytes can
 * hold (stored: equal; deflated: at most {@link #MAX_INFLATION} times), is taken from the read's
 * {@link ReadBudget} before it is allocated, and is read exactly (an entry that inflates beyond it
 * is an error, not a bigger array); every entry's CRC-32 is checked.
 *
 * <p>What it is not: TorchScript archives (code/ and constants.pkl; their pickles name classes
 * outside the allowlist and are rejected) or torch.export files.
 */
final class TorchZipReader {
    /** Deflate's largest possible expansion (zlib: 1032:1), with a little slack for tiny entries. */
    static final long MAX_INFLATION = 1032;
    /** The smallest central-directory plus local header of one entry. */
    private static final int MIN_ENTRY_BYTES = 46 + 30;

    private TorchZipReader() {
    }

    /** The open archive of one read: the file, its length and the read's memory budget. */
    private record Archive(Path file, ZipFile zip, long size, ReadBudget budget) {
    }

    static TorchContents read(Path file, ReadBudget budget) throws IOException {
        long size = Files.size(file);
        try (ZipFile zip = open(file, size)) {
            if (zip.size() > size / MIN_ENTRY_BYTES)
                throw new CheckpointException(file, "the zip directory lists " + zip.size() + " entries, a file of " + size
                        + " bytes has room for " + size / MIN_ENTRY_BYTES + " (corrupt or crafted archive)");
            Archive a = new Archive(file, zip, size, budget);
            String prefix = prefix(file, zip);
            ByteOrder order = byteOrder(a, prefix);
            ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
            byte[] pickle = entryBytes(a, pkl);
            TorchAllowlist allow = new TorchAllowlist();
            Unpickler p = new Unpickler(new ByteArrayInputStream(pickle), file, pkl.getName(), 0, pickle.length, allow);
            Object root = p.load();
            if (p.position() != pickle.length)
                throw new CheckpointException(file, "!" + pkl.getName() + ": ", (pickle.length - p.position())
                        + " bytes after the STOP at byte " + (p.position() - 1));
            Map<String, StorageData> data = new LinkedHashMap<>();
            for (StorageRef ref : allow.storages().values())
                data.put(ref.key(), storage(a, prefix, ref, order));
            return new TorchContents(root, data);
        }
    }

    private static ZipFile open(Path file, long size) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException | EOFException e) {
            String why = e.getMessage() != null ? e.getMessage() : "its end record points past the end of the file";
            throw new CheckpointException(file, "not a valid zip archive (" + why + "); the file ends at byte " + size
                    + ", truncated download?", e);
        }
    }

    /** The folder that holds data.pkl ("archive/", "resnet20/", or "" for a flat archive). */
    private static String prefix(Path file, ZipFile zip) throws CheckpointException {
        List<String> found = zip.stream().map(ZipEntry::getName)
                .filter(n -> n.equals("data.pkl") || (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9))
                .limit(3).map(n -> n.substring(0, n.length() - 8)).toList();
        if (found.size() != 1) {
            boolean script = zip.stream().anyMatch(e -> e.getName().endsWith("constants.pkl"));
            throw new CheckpointException(file, "a torch zip checkpoint has exactly one <archive>/data.pkl, found "
                    + (found.isEmpty() ? "none" : found) + (script ? " (this looks like a TorchScript archive)" : ""));
        }
        return found.getFirst();
    }

    private static ByteOrder byteOrder(Archive a, String prefix) throws IOException {
        ZipEntry e = a.zip.getEntry(prefix + "byteorder");
        if (e == null) return ByteOrder.LITTLE_ENDIAN;
        if (e.getSize() > 16) throw entryError(a.file, e, "has " + e.getSize() + " bytes, expected 'little' or 'big'");
        String v = new String(entryBytes(a, e), StandardCharsets.US_ASCII).strip();
        return switch (v) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw entryError(a.file, e, "unknown byte order '" + v + "'");
        };
    }

    private static StorageData storage(Archive a, String prefix, StorageRef ref, ByteOrder order) throws IOException {
        ZipEntry e = a.zip.getEntry(prefix + "data/" + ref.key());
        if (e == null)
            throw new CheckpointException(a.file, "storage '" + ref.key() + "' is used by data.pkl but " + prefix + "data/"
                    + ref.key() + " is missing");
        if (ref.numel() > e.getSize() / ref.type().bytes)
            throw entryError(a.file, e, "has " + e.getSize() + " bytes, too few for " + ref.numel() + " "
                    + ref.type().torchName + " elements of " + ref.type().bytes + " bytes");
        return StorageData.of(ref.key(), ref.type(), entryBytes(a, e), order);
    }

    /** The entry's bytes: its declared size checked against its compressed bytes and the budget, then its CRC-32. */
    private static byte[] entryBytes(Archive a, ZipEntry e) throws IOException {
        Path file = a.file;
        long size = e.getSize(), packed = e.getCompressedSize();
        if (size < 0 || packed < 0) throw entryError(file, e, "the zip directory does not give its size");
        if (packed > a.size)
            throw entryError(file, e, "declares " + packed + " compressed bytes, the whole file has " + a.size);
        if (e.getMethod() == ZipEntry.STORED && size != packed)
            throw entryError(file, e, "stored (not compressed) with " + packed + " bytes but declares " + size);
        if (e.getMethod() == ZipEntry.DEFLATED && size > packed * MAX_INFLATION + 64)
            throw entryError(file, e, "declares " + size + " bytes from " + packed
                    + " compressed bytes, more than deflate can expand (corrupt or crafted archive)");
        if (size > ReadBudget.MAX_ARRAY || !a.budget.tryTake(size))
            throw entryError(file, e, "declares " + size + " bytes, " + a.budget.explain());
        byte[] b;
        try (InputStream in = a.zip.getInputStream(e)) {
            b = in.readNBytes((int) size);
            if (b.length < size) throw entryError(file, e, "ends after " + b.length + " of its " + size + " bytes");
            if (in.read() >= 0) throw entryError(file, e, "holds more than the " + size + " bytes it declares");
        } catch (ZipException | EOFException x) {
            throw entryError(file, e, "corrupt zip entry (" + (x.getMessage() != null ? x.getMessage()
                    : "its data ends before the end of the entry") + ")");
        }
        CRC32 crc = new CRC32();
        crc.update(b);
        if (e.getCrc() != -1 && crc.getValue() != e.getCrc())
            throw entryError(file, e, String.format("CRC-32 of the data is %08x, the zip directory says %08x "
                    + "(corrupt file)", crc.getValue(), e.getCrc()));
        return b;
    }

    private static CheckpointException entryError(Path file, ZipEntry e, String what) {
        return new CheckpointException(file, "!" + e.getName() + ": ", what);
    }
}
