package org.archrepair.models.data;

import org.archrepair.engine.io.OneLine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file or folder that cannot be read: missing or misplaced files, a CIFAR-10 batch of the
 * wrong size or with a label above 9, a truncated or corrupt gzip or tar stream, a member that would
 * not fit in memory, an image that cannot be decoded. The message names the file (for an archive
 * member, "archive!member"), the byte offset where that applies, and what is wrong, on one line
 * whatever names the file holds ({@link OneLine}).
 */
public final class DatasetException extends IOException {
    private final transient Path file;

    /** message: already naming the file and the offset or member. */
    DatasetException(Path file, String message) {
        super(OneLine.of(message));
        this.file = file;
    }

    DatasetException(Path file, String message, Throwable cause) {
        this(file, message);
        initCause(cause);
    }

    /** The file or folder at fault (for an archive member, the archive). */
    public Path file() {
        return file;
    }
}
