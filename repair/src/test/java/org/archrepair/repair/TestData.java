package org.archrepair.repair;

import org.archrepair.models.data.Cifar10;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

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

    /**
     * A small CIFAR-10 folder in dir for end-to-end tests that would otherwise spend their time
     * evaluating 10,000 test images: the first trainPerBatch records of each training batch and the
     * first test records of the test batch, as they are in the shared copy.
     */
    public static Path smallCifar10(Path dir, int trainPerBatch, int test) throws IOException {
        Path cifar = require("cifar10");
        Files.createDirectories(dir);
        List<String> names = new ArrayList<>(Cifar10.TRAIN_FILES);
        names.add(Cifar10.TEST_FILE);
        for (String name : names) {
            int records = name.equals(Cifar10.TEST_FILE) ? test : trainPerBatch;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(cifar.resolve(name + ".gz")))) {
                Files.write(dir.resolve(name), in.readNBytes(records * Cifar10.RECORD_BYTES));
            }
        }
        return dir;
    }
}
