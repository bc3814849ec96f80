package org.archrepair.repair.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.*;

class ProgressBarTest {
    @Test
    void logsTenLinesOffATerminalAndNothingWhenUnused() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true);
        try (ProgressBar bar = new ProgressBar("epoch 1/2", 1000, "img", out, false)) {
            for (int i = 0; i < 100; i++) bar.advance(10, "loss 0.5");
        }
        String[] lines = bytes.toString().split("\n");
        assertEquals(11, lines.length, bytes.toString());             // 0%, 10%, ..., 100%
        assertTrue(lines[10].startsWith("epoch 1/2 [########################] 1000/1000 img"), lines[10]);
        assertTrue(lines[10].endsWith("loss 0.5"), lines[10]);
        ByteArrayOutputStream none = new ByteArrayOutputStream();
        new ProgressBar("download", 0, "B", new PrintStream(none), false).close();
        assertEquals("", none.toString());
    }

    @Test
    void aBarMadeBeforeItsPhaseCountsTimeFromRestartClock() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("gradient", 10, "img", new PrintStream(bytes, true), false);
        Thread.sleep(1_200);                                           // an earlier phase runs meanwhile
        assertTrue(bar.line().contains("0m01s"), bar.line());
        bar.advance(10, null);
        assertTrue(bar.complete());
        bar.restartClock();
        assertTrue(bar.line().contains("0m00s"), bar.line());
    }

    @Test
    void aPhaseShorterThanASecondStillEndsWithItsRate() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("contrast", 50_000, "img", new PrintStream(bytes, true), false);
        bar.advance(25_000, null);
        assertTrue(bar.line().contains(" 0.0 img/s"), bar.line());     // half-way through its first second: no rate yet
        bar.advance(25_000, null);
        assertFalse(bar.line().contains(" 0.0 img/s"), bar.line());    // done: 50,000 images over the time it took
        assertTrue(bar.line().matches(".* \\d+\\.\\d img/s, 0m00s"), bar.line());
    }
}
