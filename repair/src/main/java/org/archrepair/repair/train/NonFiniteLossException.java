package org.archrepair.repair.train;

import java.nio.file.Path;

/**
 * A loss that is NaN or infinite: training, search or fine-tuning stops at once with the place it
 * happened and the last good checkpoint (kept as it was, since nothing is written after this).
 */
public final class NonFiniteLossException extends RuntimeException {
    public NonFiniteLossException(String phase, int epoch, int step, float loss, Path lastGood) {
        super(phase + ": loss " + loss + " at epoch " + epoch + ", step " + (step + 1) + "; stopped, nothing written; "
                + "the last good checkpoint is " + lastGood + " (lower the learning rate, or check the data)");
    }

    /** Throw when loss is not finite. */
    public static void check(float loss, String phase, int epoch, int step, Path lastGood) {
        if (!Float.isFinite(loss)) throw new NonFiniteLossException(phase, epoch, step, loss, lastGood);
    }
}
