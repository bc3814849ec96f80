package org.archrepair.models.fuzz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One reader under fuzzing: its name, the file name a case is written under (the readers look at
 * suffixes: test_batch.bin.gz, cifar.tar), how often it is drawn, its seed files (or, if generator
 * is not null, a generator that builds each case's seed from the case's random source), how a
 * mutated seed becomes a file (e.g. a pickle wrapped in a valid zip), the read itself, and the
 * exception types it may end with (its family's); anything else it throws is a crash.
 */
record Target(String name, String fileName, int weight, List<byte[]> seeds, Function<SplittableRandom, byte[]> generator,
              UnaryOperator<byte[]> wrap, Reader read, List<Class<? extends IOException>> expected) {

    /** A target mutating fixed seeds. */
    Target(String name, String fileName, int weight, List<byte[]> seeds, UnaryOperator<byte[]> wrap, Reader read,
           List<Class<? extends IOException>> expected) {
        this(name, fileName, weight, seeds, null, wrap, read, expected);
    }

    @FunctionalInterface
    interface Reader {
        void read(Path file) throws Exception;
    }

    boolean isExpected(Throwable t) {
        return expected.stream().anyMatch(c -> c.isInstance(t));
    }
}
