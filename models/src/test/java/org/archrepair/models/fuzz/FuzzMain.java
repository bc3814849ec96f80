package org.archrepair.models.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The long fuzz run, a command (see models/fuzz.sh, which runs it with -Xmx1g):
 * {@code FuzzMain [--cases 100000] [--seed 1] [--timeout-ms 5000] [--bomb-mib 300] [--out models/target/fuzz]
 * [--only pickle,torch-zip]}. Prints the per-target table and every finding; exits 1 if there
 * was any crash, bad message or hang (their bytes are under OUT/findings).
 */
public final class FuzzMain {
    private FuzzMain() {
    }

    public static void main(String[] args) throws Exception {
        long cases = 100_000, seed = 1;
        int timeoutMs = 5000, bombMib = 300;
        Path out = Path.of("models/target/fuzz");
        List<String> only = null;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) usage("missing value after " + args[i]);
            String v = args[i + 1];
            switch (args[i]) {
                case "--cases" -> cases = Long.parseLong(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--timeout-ms" -> timeoutMs = Integer.parseInt(v);
                case "--bomb-mib" -> bombMib = Integer.parseInt(v);
                case "--out" -> out = Path.of(v);
                case "--only" -> only = Arrays.asList(v.split(","));
                default -> usage("unknown option " + args[i]);
            }
        }
        List<String> keep = only;
        List<Target> targets = Targets.all(bombMib << 20).stream().filter(t -> keep == null || keep.contains(t.name()))
                .toList();
        if (targets.isEmpty()) usage("--only names no target");
        Files.createDirectories(out);
        System.out.printf("fuzzing %,d cases, seed %d, %d ms per case, heap %d MiB, bombs of %d MiB, on %d cores%n",
                cases, seed, timeoutMs, Runtime.getRuntime().maxMemory() >> 20, bombMib,
                Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        FuzzRun run = new FuzzRun(targets, seed, Duration.ofMillis(timeoutMs), out.resolve("work"), out.resolve("findings"));
        run.run(0, cases, System.out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.print(run.table());
        System.out.printf("%.0f s in all, %.2f ms per case%n", seconds, 1000 * seconds / cases);
        for (FuzzRun.Finding f : run.findings())
            System.out.println(f.outcome() + " " + f.target() + " case " + f.caseIndex() + ": " + f.what() + " -> " + f.saved());
        System.exit(run.findings().isEmpty() ? 0 : 1);
    }

    private static void usage(String problem) {
        System.err.println("FuzzMain: " + problem + "\nusage: FuzzMain [--cases N] [--seed S] [--timeout-ms MS] "
                + "[--bomb-mib MIB] [--out DIR] [--only TARGET,...]");
        System.exit(2);
    }
}
