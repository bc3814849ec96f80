package org.archrepair.engine.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Write a file so that readers see either the old version or the complete new one: write a temp
 * file beside it, flush it to disk, then rename it over the target. An interrupted run never
 * leaves a half-written checkpoint or report. A refusal (permission, read-only file system, a file
 * where a folder should be) is an IOException naming the target and the reason, not the temp file.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Write target through writer, atomically; a file-system refusal names target and the reason. */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            throw cannotWrite(target, e);
        }
        // Not Files.createTempFile: it makes the file owner-only (0600); this one gets the umask's permissions.
        // The channel opens (CREATE_NEW) before the try: a name another writer holds is never deleted here.
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(System.nanoTime()) + ".tmp");
        FileChannel ch;
        try {
            ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileSystemException e) {
            throw cannotWrite(target, e);
        }
        try {
            try (ch; OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            moveInto(tmp, target);
        } catch (FileSystemException e) {
            throw cannotWrite(target, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * "cannot write T: permission denied (creating T.tmp)": the JDK's file-system exceptions carry
     * only the path, the reason is in their type.
     */
    static IOException cannotWrite(Path target, FileSystemException e) {
        String reason = switch (e) {
            case AccessDeniedException x -> "permission denied";
            case NoSuchFileException x -> "no such file or folder";
            case NotDirectoryException x -> "not a folder";
            case FileAlreadyExistsException x -> "a file that is not a folder is in the way";
            case DirectoryNotEmptyException x -> "a folder of that name is in the way";
            default -> e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        };
        String file = e.getFile();
        boolean other = file != null && !Path.of(file).toAbsolutePath().equals(target.toAbsolutePath());
        return new IOException("cannot write " + target + ": " + reason + (other ? " (at " + file + ")" : ""), e);
    }

    /**
     * Move tmp, a complete file the caller has forced to disk, over target: atomically where the file
     * system supports it, else with a plain move that replaces target (not atomic: a reader may then
     * see target missing or incomplete).
     */
    public static void moveInto(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
