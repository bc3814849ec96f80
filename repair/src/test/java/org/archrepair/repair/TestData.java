package org.archrepair.repair;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find the shared data: the system property archrepair.data (default ../shared/data). */
public final class TestData {
    private TestData() {
    }

    public static Path root() {
        return Path.of(System.getProperty("archrepair.data", "../shared/data"));
    }

    /** The path below the data root, or skip the test with a message saying what is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "skipped: " + p.toAbsolutePath()
                + " is absent (set -Darchrepair.data=DIR to the folder holding cifar10/ and pretrained/)");
        return p;
    }
}
