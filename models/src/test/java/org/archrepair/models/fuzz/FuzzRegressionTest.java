package org.archrepair.models.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every finding of the fuzz runs, with its bytes (src/test/resources/fuzz/TARGET/*.bin, named after
 * the run's seed and case and what went wrong), read again through its target: each must now be
 * read or rejected with a one-line message naming the file, within 5 seconds.
 */
class FuzzRegressionTest {
    @TempDir
    Path dir;

    @Test
    void everyFindingIsNowReadOrRejectedClearly() throws Exception {
        URL root = FuzzRegressionTest.class.getResource("/fuzz");
        assertNotNull(root, "no fuzz regression files on the test classpath");
        Map<String, Target> targets = Targets.all(1 << 20).stream().collect(Collectors.toMap(Target::name, Function.identity()));
        FuzzRun run = new FuzzRun(List.copyOf(targets.values()), 0, Duration.ofSeconds(5), dir, dir.resolve("findings"));
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of(root.toURI()))) {
            files = s.filter(p -> p.toString().endsWith(".bin")).sorted().toList();
        }
        assertTrue(files.size() >= 1, "regression files: " + files);
        StringBuilder failed = new StringBuilder();
        for (Path f : files) {
            Target t = targets.get(f.getParent().getFileName().toString());
            assertNotNull(t, "no target named after the folder of " + f);
            FuzzRun.Result r = run.execute(t, Files.readAllBytes(f));
            if (r.outcome() != FuzzRun.Outcome.VALID && r.outcome() != FuzzRun.Outcome.REJECTED)
                failed.append(f.getFileName()).append(": ").append(r.outcome()).append('\n').append(r.what()).append('\n');
        }
        assertTrue(failed.isEmpty(), failed.toString());
    }
}
