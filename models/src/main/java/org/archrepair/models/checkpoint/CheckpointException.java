package org.archrepair.models.checkpoint;

import org.archrepair.engine.io.OneLine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file that cannot be read: unknown format, a broken zip, a pickle that is corrupt,
 * hostile or holds something other than a state_dict, storages that do not fit their tensors.
 * The message names the file, the zip entry or byte offset, and what is wrong
 * ({@code m.pt!archive/data.pkl: at byte 812: ...}), on one line whatever names the file holds
 * ({@link OneLine}).
 *
 * <p>What it is not: a checkpoint that reads fine but does not fit the model
 * ({@link CheckpointMismatchException}), or a safetensors file
 * ({@link org.archrepair.engine.io.SafetensorsException}).
 */
public final class CheckpointException extends IOException {
    private final transient Path file;

    /** where: after the file name, e.g. "!archive/data.pkl: at byte 12: " or ": ". */
    CheckpointException(Path file, String where, String what) {
        super(OneLine.of(file + where + what));
        this.file = file;
    }

    CheckpointException(Path file, String what) {
        this(file, ": ", what);
    }

    CheckpointException(Path file, String what, Throwable cause) {
        this(file, what);
        initCause(cause);
    }

    public Path file() {
        return file;
    }
}
