package org.archrepair.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** moveInto replaces the target with the temp file; writeString leaves only the target behind. */
class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void moveIntoReplacesTheTarget() throws IOException {
        Path target = dir.resolve("data.bin"), tmp = dir.resolve("data.bin.part");
        Files.writeString(target, "old");
        Files.writeString(tmp, "new");
        AtomicFile.moveInto(tmp, target);
        assertEquals("new", Files.readString(target));
        assertFalse(Files.exists(tmp));
    }

    @Test
    void writeStringReplacesTheTargetAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("sub").resolve("report.json");
        AtomicFile.writeString(target, "one");
        AtomicFile.writeString(target, "two");
        assertEquals("two", Files.readString(target));
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "only the target");
        }
    }
}
