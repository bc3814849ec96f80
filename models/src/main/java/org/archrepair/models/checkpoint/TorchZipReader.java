package org.archrepair.models.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip format of {@code torch.save} (PyTorch 1.6+): entries under one top folder
 * ({@code <archive>/data.pkl}, the pickled object; {@code <archive>/data/<key>}, each storage's raw
 * bytes; {@code <archive>/byteorder}, "little" or "big", little if absent; {@code version} and
 * other records, ignored). Storages are referenced from data.pkl by persistent ids.
 *
 * <p>What it is not: TorchScript archives (code/ and constants.pkl; their pickles name classes
 * outside the allowlist and are rejected) or torch.export files.
 */
final class TorchZipReader {
    private TorchZipReader() {
    }

    static TorchContents read(Path file) throws IOException {
        long size = Files.size(file);
        try (ZipFile zip = open(file, size)) {
            String prefix = prefix(file, zip);
            ByteOrder order = byteOrder(file, zip, prefix);
            ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
            byte[] pickle = entryBytes(file, zip, pkl);
            TorchAllowlist allow = new TorchAllowlist();
            String source = file + "!" + pkl.getName();
            Unpickler p = new Unpickler(new ByteArrayInputStream(pickle), source, 0, pickle.length, allow);
            Object root = p.load();
            if (p.position() != pickle.length)
                throw new IOException(source + ": " + (pickle.length - p.position()) + " bytes after the STOP at byte "
                        + (p.position() - 1));
            Map<String, StorageData> data = new LinkedHashMap<>();
            for (StorageRef ref : allow.storages().values()) data.put(ref.key(), storage(file, zip, prefix, ref, order));
            return new TorchContents(root, data);
        }
    }

    private static ZipFile open(Path file, long size) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new IOException(file + ": not a complete zip archive (" + e.getMessage() + "); the file ends at byte "
                    + size + ", truncated download?", e);
        }
    }

    /** The folder that holds data.pkl ("archive/", "resnet20/", or "" for a flat archive). */
    private static String prefix(Path file, ZipFile zip) throws IOException {
        List<String> found = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String n = e.getName();
            if (n.equals("data.pkl") || (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9))
                found.add(n.substring(0, n.length() - 8));
        }
        if (found.size() != 1) {
            boolean script = Collections.list(zip.entries()).stream().anyMatch(e -> e.getName().endsWith("constants.pkl"));
            throw new IOException(file + ": a torch zip checkpoint has exactly one <archive>/data.pkl, found "
                    + (found.isEmpty() ? "none" : found) + (script ? " (this looks like a TorchScript archive)" : ""));
        }
        return found.getFirst();
    }

    private static ByteOrder byteOrder(Path file, ZipFile zip, String prefix) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e == null) return ByteOrder.LITTLE_ENDIAN;
        String v = new String(entryBytes(file, zip, e), StandardCharsets.US_ASCII).strip();
        return switch (v) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new IOException(file + "!" + e.getName() + ": unknown byte order '" + v + "'");
        };
    }

    private static StorageData storage(Path file, ZipFile zip, String prefix, StorageRef ref, ByteOrder order)
            throws IOException {
        ZipEntry e = zip.getEntry(prefix + "data/" + ref.key());
        if (e == null)
            throw new IOException(file + ": storage '" + ref.key() + "' is used by data.pkl but " + prefix + "data/"
                    + ref.key() + " is missing");
        if (e.getSize() >= 0 && ref.numel() > e.getSize() / ref.type().bytes)
            throw new IOException(file + "!" + e.getName() + ": has " + e.getSize() + " bytes, too few for "
                    + ref.numel() + " " + ref.type().torchName + " elements of " + ref.type().bytes + " bytes");
        return StorageData.of(ref.key(), ref.type(), entryBytes(file, zip, e), order);
    }

    private static byte[] entryBytes(Path file, ZipFile zip, ZipEntry e) throws IOException {
        if (e.getSize() > Integer.MAX_VALUE - 8)
            throw new IOException(file + "!" + e.getName() + ": entry of " + e.getSize() + " bytes is too large");
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readAllBytes();
            if (e.getSize() >= 0 && b.length != e.getSize())
                throw new IOException(file + "!" + e.getName() + ": read " + b.length + " of " + e.getSize() + " bytes");
            return b;
        } catch (ZipException x) {
            throw new IOException(file + "!" + e.getName() + ": corrupt zip entry (" + x.getMessage() + ")", x);
        }
    }
}
