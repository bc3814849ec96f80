package org.archrepair.repair.cli;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A one-line progress display on stderr: redrawn in place on a terminal, a plain line every ~10%
 * otherwise (logs, CI). Shows done/total, rate, elapsed and remaining time, and a caller's note
 * (loss, accuracy).
 */
public final class ProgressBar implements AutoCloseable {
    private final String label;
    private long total;
    private final String unit;
    private final PrintStream out;
    private final boolean terminal;
    private long start = System.nanoTime();
    private long lastDraw, lastPercentLogged = -1;
    private long done;
    private String note = "";
    private boolean started, closed;

    public ProgressBar(String label, long total, String unit) {
        this(label, total, unit, System.err, System.console() != null);
    }

    ProgressBar(String label, long total, String unit, PrintStream out, boolean terminal) {
        this.label = label;
        this.total = Math.max(total, 0);
        this.unit = unit;
        this.out = out;
        this.terminal = terminal;
    }

    /** Absolute progress (downloads): done of total units; total may change once it is known. */
    public void set(long done, long total) {
        if (total > 0) this.total = total;
        advance(done - this.done, note);
    }

    public void advance(long n, String note) {
        started = true;
        done += n;
        this.note = note == null ? "" : note;
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDraw > 100_000_000L || done >= total) {
                out.print("\r" + line());
                out.flush();
                lastDraw = now;
            }
        } else if (total > 0) {
            long percent = done * 10 / total * 10;
            if (percent > lastPercentLogged) {
                out.println(line());
                lastPercentLogged = percent;
            }
        }
    }

    /** Whether every unit of a known total is done. */
    boolean complete() {
        return total > 0 && done >= total;
    }

    /** Start the clock now (a bar made before its phase begins: rates and times count from here). */
    void restartClock() {
        start = System.nanoTime();
    }

    /** The current line (without newline). */
    String line() {
        double seconds = (System.nanoTime() - start) / 1e9;
        // No rate from the first instants of a phase, but a finished one gets its rate however short.
        double rate = seconds >= 1 || (total > 0 && done >= total && seconds > 0) ? done / seconds : 0;
        int width = 24, filled = total > 0 ? (int) (width * Math.min(done, total) / total) : 0;
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String eta = rate > 0 && total > done ? " eta " + format((long) ((total - done) / rate)) : "";
        return String.format("%s [%s] %d/%d %s, %.1f %s/s, %s%s%s", label, bar, done, total, unit, rate, unit,
                format((long) seconds), eta, note.isEmpty() ? "" : ", " + note);
    }

    private static String format(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    /** Prints the last line once; later calls do nothing. */
    @Override
    public void close() {
        if (!started || closed) return;
        closed = true;
        if (terminal) {
            out.print("\r" + line() + "\n");
            out.flush();
        } else if (lastPercentLogged < 100) {
            out.println(line());
        }
    }
}
