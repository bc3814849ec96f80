package org.archrepair.models.checkpoint;

import org.archrepair.engine.nn.StateDicts;

import java.nio.file.Path;

/**
 * A checkpoint whose names or shapes do not fit the model: the message names the file and lists
 * every missing, unexpected and mis-shaped tensor (the engine's {@link StateDicts.Report}, also
 * available as {@link #report()}), and the model is left unchanged.
 */
public final class CheckpointMismatchException extends IllegalArgumentException {
    private final transient Path file;
    private final transient StateDicts.Report report;

    CheckpointMismatchException(Path file, StateDicts.Report report) {
        super("checkpoint " + file + " does not fit the model: " + report);
        this.file = file;
        this.report = report;
    }

    public Path file() {
        return file;
    }

    /** The missing, unexpected and mis-shaped names. */
    public StateDicts.Report report() {
        return report;
    }
}
