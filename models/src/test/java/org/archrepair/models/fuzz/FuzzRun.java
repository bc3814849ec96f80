package org.archrepair.models.fuzz;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs fuzz cases: case i draws a target by weight, one of its seeds (or a generated one) and 0 to
 * 4 mutations from a random source of (seed, i) alone, so any case can be replayed; writes the file and reads it on a
 * worker thread under a time limit. Each case ends as valid (read), rejected (an exception of the
 * target's family whose message is one line naming the file), or a finding: a crash (any other
 * throwable, StackOverflowError and OutOfMemoryError included), a bad message, or a hang (past the
 * limit: the worker is abandoned, and after {@link #MAX_HANGS} the run stops). Findings are saved
 * as FINDINGS/TARGET/case-I.bin with the stack in case-I.txt.
 */
final class FuzzRun {
    static final int MAX_HANGS = 3;

    enum Outcome { VALID, REJECTED, CRASH, MESSAGE, HANG }

    /** Per target: how many cases ended how, and the slowest case. */
    static final class Tally {
        final Map<Outcome, Long> counts = new LinkedHashMap<>();
        long maxMillis;

        long get(Outcome o) {
            return counts.getOrDefault(o, 0L);
        }

        long cases() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    record Finding(String target, long caseIndex, Outcome outcome, String what, Path saved) {
    }

    private final List<Target> targets;
    private final long seed;
    private final Duration limit;
    private final Path work, findingsDir;
    private final Map<String, Tally> tallies = new LinkedHashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private ExecutorService worker = newWorker();

    FuzzRun(List<Target> targets, long seed, Duration limit, Path work, Path findingsDir) {
        this.targets = targets;
        this.seed = seed;
        this.limit = limit;
        this.work = work;
        this.findingsDir = findingsDir;
        for (Target t : targets) tallies.put(t.name(), new Tally());
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
    }

    Map<String, Tally> tallies() {
        return tallies;
    }

    List<Finding> findings() {
        return findings;
    }

    long hangs() {
        return findings.stream().filter(f -> f.outcome == Outcome.HANG).count();
    }

    /** Cases first .. first + count - 1; progress to log every tenth of the way (null: quiet). */
    void run(long first, long count, PrintStream log) throws IOException {
        Files.createDirectories(work);
        for (long i = first; i < first + count && hangs() < MAX_HANGS; i++) {
            runCase(i);
            if (log != null && count >= 10 && (i - first + 1) % (count / 10) == 0)
                log.printf("  %,d of %,d cases, %d findings%n", i - first + 1, count, findings.size());
        }
        worker.shutdownNow();
    }

    /** The bytes of case i and its target: pure function of (seed, i). */
    Map.Entry<Target, byte[]> generate(long i) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        int total = targets.stream().mapToInt(Target::weight).sum(), pick = r.nextInt(total);
        Target t = targets.getLast();
        for (Target c : targets) {
            if (pick < c.weight()) {
                t = c;
                break;
            }
            pick -= c.weight();
        }
        byte[] s = t.generator() != null ? t.generator().apply(r) : t.seeds().get(r.nextInt(t.seeds().size()));
        byte[] bytes = r.nextInt(t.generator() != null ? 2 : 10) == 0 ? s : Mutator.mutate(s, t.seeds(), r);
        return Map.entry(t, t.wrap().apply(bytes));
    }

    private void runCase(long i) throws IOException {
        Map.Entry<Target, byte[]> c = generate(i);
        Target t = c.getKey();
        Result r = execute(t, c.getValue());
        Tally tally = tallies.get(t.name());
        tally.counts.merge(r.outcome, 1L, Long::sum);
        tally.maxMillis = Math.max(tally.maxMillis, r.millis);
        if (r.what != null) findings.add(save(t, i, r.outcome, r.what, c.getValue()));
    }

    /** How reading bytes as t's file ended: the outcome, the stack of a finding (else null), the time. */
    record Result(Outcome outcome, String what, long millis) {
    }

    /** Write bytes as t's file and read it on the worker, within the time limit. */
    Result execute(Target t, byte[] bytes) throws IOException {
        Files.createDirectories(work);
        Path file = work.resolve(t.fileName());
        Files.write(file, bytes);
        long t0 = System.nanoTime();
        Future<Throwable> f = worker.submit(() -> {
            try {
                t.read().read(file);
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        try {
            Throwable e = f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            Outcome outcome = classify(t, file, e);
            boolean finding = outcome == Outcome.CRASH || outcome == Outcome.MESSAGE;
            return new Result(outcome, finding ? stack(e) : null, (System.nanoTime() - t0) / 1_000_000);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            return new Result(Outcome.HANG, "no result after " + limit.toMillis() + " ms", limit.toMillis());
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("fuzz worker failed", e);
        }
    }

    private static Outcome classify(Target t, Path file, Throwable e) {
        if (e == null) return Outcome.VALID;
        if (!t.isExpected(e)) return Outcome.CRASH;
        String m = e.getMessage();
        boolean clear = m != null && !m.contains("\n") && m.contains(file.getFileName().toString());
        return clear ? Outcome.REJECTED : Outcome.MESSAGE;
    }

    private Finding save(Target t, long i, Outcome outcome, String what, byte[] bytes) throws IOException {
        Path dir = Files.createDirectories(findingsDir.resolve(t.name()));
        Path bin = dir.resolve("case-" + i + ".bin");
        Files.write(bin, bytes);
        Files.writeString(dir.resolve("case-" + i + ".txt"), outcome + " in " + t.name() + ", case " + i + " of seed "
                + seed + "\n" + what);
        return new Finding(t.name(), i, outcome, what.lines().findFirst().orElse(""), bin);
    }

    private static String stack(Throwable e) {
        StringWriter s = new StringWriter();
        e.printStackTrace(new PrintWriter(s));
        String text = s.toString();
        return text.length() > 20_000 ? text.substring(0, 20_000) + "\n..." : text;
    }

    /** The per-target table: cases, valid, rejected, crashes (incl. bad messages), hangs, slowest case. */
    String table() {
        StringBuilder b = new StringBuilder(String.format("%-14s %8s %8s %9s %8s %6s %9s%n", "target", "cases", "valid",
                "rejected", "crashes", "hangs", "max ms"));
        Tally sum = new Tally();
        tallies.forEach((name, t) -> {
            b.append(row(name, t));
            t.counts.forEach((o, n) -> sum.counts.merge(o, n, Long::sum));
            sum.maxMillis = Math.max(sum.maxMillis, t.maxMillis);
        });
        return b.append(row("all", sum)).toString();
    }

    private static String row(String name, Tally t) {
        return String.format("%-14s %,8d %,8d %,9d %,8d %,6d %,9d%n", name, t.cases(), t.get(Outcome.VALID),
                t.get(Outcome.REJECTED), t.get(Outcome.CRASH) + t.get(Outcome.MESSAGE), t.get(Outcome.HANG), t.maxMillis);
    }
}
