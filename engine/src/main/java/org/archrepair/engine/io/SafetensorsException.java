package org.archrepair.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that cannot be read: its message names the file, the byte offset or tensor,
 * and what is wrong ("malformed safetensors file m.safetensors: tensor 'fc.weight' ..."), on one
 * line ({@link OneLine}).
 */
public final class SafetensorsException extends IOException {
    private final transient Path file;

    public SafetensorsException(Path file, String what) {
        super(OneLine.of("malformed safetensors file " + file + ": " + what));
        this.file = file;
    }

    public SafetensorsException(Path file, String what, Throwable cause) {
        this(file, what);
        initCause(cause);
    }

    public Path file() {
        return file;
    }
}
