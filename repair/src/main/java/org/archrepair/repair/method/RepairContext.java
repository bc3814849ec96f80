package org.archrepair.repair.method;

import org.archrepair.kernels.Backend;
import org.archrepair.models.Network;
import org.archrepair.models.data.Normalization;
import org.archrepair.repair.data.RepairData;
import org.archrepair.repair.localize.Localization;

import java.nio.file.Path;

/**
 * Everything a repair method gets; the same for every method of a comparison.
 *
 * @param net          the model to repair, weights loaded; repaired in place
 * @param data         D_fail, D_t sample, held-out set
 * @param split        D_train^repair (weights) and D_val^repair (architecture, early stopping)
 * @param localization the localization of net on data (targets of every level)
 * @param dir          the method's folder: its checkpoint lives there
 * @param resume       continue from the checkpoint in dir, if there is one
 * @param fingerprint  the run's settings as one string: a checkpoint of other settings is refused
 * @param stopAfter    end the run (as a kill would) after this many epochs of this invocation; 0: never
 */
public record RepairContext(Network net, Backend backend, RepairData data, RepairData.Split split,
                            Normalization normalization, Localization localization, Budget budget, long seed, Path dir,
                            boolean resume, String fingerprint, int stopAfter, Listener listener) {

    /** Progress of a repair. */
    public interface Listener {
        /**
         * After each batch: phase ("search", "finetune"), epoch (0-based) of epochs, examples done of
         * total, the batch's loss, the epoch's training accuracy so far, and the mean entropy of the
         * edges' op weights (search; NaN otherwise).
         */
        void batch(String phase, int epoch, int epochs, int done, int total, float loss, double accuracy, double entropy);

        /** After each epoch. */
        void epoch(EpochLog log);

        Listener QUIET = new Listener() {
            @Override
            public void batch(String phase, int epoch, int epochs, int done, int total, float loss, double accuracy,
                              double entropy) {
            }

            @Override
            public void epoch(EpochLog log) {
            }
        };
    }

    /** Thrown when {@code stopAfter} epochs are done: the checkpoint of the last one is on disk. */
    public static final class Stopped extends RuntimeException {
        public Stopped(int epochs) {
            super("stopped after " + epochs + " epochs, as asked");
        }
    }
}
