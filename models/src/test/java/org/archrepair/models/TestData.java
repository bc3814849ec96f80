package org.archrepair.models;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find the shared read-only data (CIFAR-10, pretrained weights): the system property
 * {@code archrepair.data}, which surefire sets from the pom. A test that needs a file calls
 * {@link #require} and is skipped, with the reason, when the file is absent.
 */
public final class TestData {
    private TestData() {
    }

    /** The file or folder at relative (e.g. "cifar10/test_batch.bin.gz"), or skip the test. */
    public static Path require(String relative) {
        String root = System.getProperty("archrepair.data");
        Assumptions.assumeTrue(root != null && !root.isBlank(),
                "skipped: system property archrepair.data is not set (run through Maven, or pass -Darchrepair.data=...)");
        Path p = Path.of(root).resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "skipped: shared data " + p + " is absent");
        return p;
    }
}
