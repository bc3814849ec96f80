package org.archrepair.models.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint whose names or shapes do not fit the model: the message names the file and lists
 * every missing, unexpected and mis-shaped tensor (from the engine's strict StateDicts.load), and
 * the model is left unchanged.
 */
public final class CheckpointMismatchException extends IllegalArgumentException {
    private final transient Path file;

    CheckpointMismatchException(Path file, String details, Throwable cause) {
        super("checkpoint " + file + " does not fit the model: " + details, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
