package org.archrepair.models.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short fuzz run of the default suite (about half a minute on two cores; the long run is
 * models/fuzz.sh): a fixed seed and case count, zero crashes, bad messages and hangs; and the
 * harness itself can fail, on targets that crash, hang or answer without naming the file.
 */
class FuzzTest {
    @TempDir
    Path dir;

    static final int CASES = 10_000;

    @Test
    void shortRunOverEveryReader() throws IOException {
        FuzzRun run = new FuzzRun(Targets.all(8 << 20), 13, Duration.ofSeconds(5), dir.resolve("work"),
                dir.resolve("findings"));
        long t0 = System.nanoTime();
        run.run(0, CASES, null);
        System.out.print(run.table());
        System.out.printf("%d cases in %.1f s%n", CASES, (System.nanoTime() - t0) / 1e9);
        StringBuilder found = new StringBuilder();
        run.findings().forEach(f -> found.append(f).append('\n'));
        assertTrue(run.findings().isEmpty(), found.toString());
        run.tallies().forEach((name, t) -> assertTrue(t.cases() > 0, name + " was never drawn"));
        run.tallies().forEach((name, t) -> assertTrue(t.get(FuzzRun.Outcome.REJECTED) > 0, name + " rejected nothing"));
    }

    @Test
    void theHarnessReportsCrashesHangsAndNamelessMessages() throws IOException {
        List<byte[]> seed = List.of(new byte[]{1, 2, 3});
        List<Target> targets = List.of(
                new Target("npe", "a.bin", 1, seed, b -> b, f -> {
                    throw new NullPointerException();
                }, List.of(IOException.class)),
                new Target("sleeps", "b.bin", 1, seed, b -> b, f -> Thread.sleep(60_000), List.of(IOException.class)),
                new Target("nameless", "c.bin", 1, seed, b -> b, f -> {
                    throw new IOException("bad file");
                }, List.of(IOException.class)));
        FuzzRun run = new FuzzRun(targets, 1, Duration.ofMillis(200), dir.resolve("w"), dir.resolve("f"));
        run.run(0, 30, null);
        assertTrue(run.tallies().get("npe").get(FuzzRun.Outcome.CRASH) > 0);
        assertTrue(run.tallies().get("nameless").get(FuzzRun.Outcome.MESSAGE) > 0);
        assertEquals(FuzzRun.MAX_HANGS, run.hangs(), "stops after " + FuzzRun.MAX_HANGS + " hangs");
        assertTrue(run.findings().stream().allMatch(f -> f.saved().toFile().isFile()));
    }

    @Test
    void aCaseIsAFunctionOfSeedAndIndex() throws InterruptedException {
        FuzzRun a = new FuzzRun(Targets.all(1 << 20), 5, Duration.ofSeconds(1), dir, dir);
        Thread.sleep(2100);   // past the 2 s resolution of zip timestamps: no seed may depend on the clock
        FuzzRun b = new FuzzRun(Targets.all(1 << 20), 5, Duration.ofSeconds(1), dir, dir);
        for (long i = 0; i < 200; i++) {
            assertEquals(a.generate(i).getKey().name(), b.generate(i).getKey().name());
            assertTrue(java.util.Arrays.equals(a.generate(i).getValue(), b.generate(i).getValue()));
        }
    }
}
