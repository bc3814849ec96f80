package org.archrepair.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** moveInto replaces the target with the temp file; writeString leaves only the target behind; refusals say why. */
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
    void aRefusalNamesTheTargetAndTheReason() throws IOException {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");
        Path target = file.resolve("report.json");   // its folder is a regular file
        IOException e = assertThrows(IOException.class, () -> AtomicFile.writeString(target, "{}"));
        assertEquals("cannot write " + target + ": a file that is not a folder is in the way (at " + file + ")",
                e.getMessage());
        Path folder = Files.createDirectories(dir.resolve("a-folder"));
        Files.writeString(folder.resolve("inside"), "x");
        IOException d = assertThrows(IOException.class, () -> AtomicFile.writeString(folder, "{}"));
        assertTrue(d.getMessage().startsWith("cannot write " + folder + ": "), d.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temp file left behind");
        }
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
