package org.archrepair.repair.train;

import java.nio.file.Path;

/**
 * A loss that became NaN or infinite: the run stops at once, before the step that would carry the
 * non-finite gradient into the weights, and nothing more is written, so the last checkpoint on
 * disk stays the last good one. The message names the loop (training, search, fine-tuning), the
 * epoch and step (both counted from 1) and that checkpoint. Loops call {@link #check} on every
 * step's loss.
 */
public final class NonFiniteLossException extends RuntimeException {
    private final int epoch, step;
    private final transient Path lastGood;

    private NonFiniteLossException(String loop, float loss, int epoch, int step, Path lastGood) {
        super(loop + ": the loss is " + loss + " at epoch " + epoch + ", step " + step + "; "
                + (lastGood != null ? "the last good checkpoint is " + lastGood + ", left as it was"
                : "no checkpoint was written before it")
                + " (a smaller learning rate or gradient clipping usually helps)");
        this.epoch = epoch;
        this.step = step;
        this.lastGood = lastGood;
    }

    /**
     * loss, if finite; else the exception. epoch and step count from 1; lastGood is the newest
     * complete checkpoint of this run (null if none yet).
     */
    public static float check(String loop, float loss, int epoch, int step, Path lastGood) {
        if (!Float.isFinite(loss)) throw new NonFiniteLossException(loop, loss, epoch, step, lastGood);
        return loss;
    }

    public int epoch() {
        return epoch;
    }

    public int step() {
        return step;
    }

    /** The newest complete checkpoint, or null. */
    public Path lastGood() {
        return lastGood;
    }
}
