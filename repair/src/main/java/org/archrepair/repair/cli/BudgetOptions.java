package org.archrepair.repair.cli;

import org.archrepair.repair.method.Budget;
import picocli.CommandLine.Option;

/**
 * --budget and its parts. "default" fits a ResNet-20 repair on 2 cores in well under half an hour
 * (repair/RESULTS.md has the measured times); "paper" is the paper's and PC-DARTS': all 50,000
 * training images, 50 search epochs of which 15 warm-up, fine-tuning up to 500 epochs with a
 * patience of 10. Any part given on its own overrides the preset.
 */
public final class BudgetOptions {
    @Option(names = "--budget", defaultValue = "default", paramLabel = "NAME",
            description = "default (CPU-sized: 5,000 training images, 8 search epochs of which 2 warm-up, fine-tuning up to "
                    + "10 epochs, patience 3) or paper (50,000 images, 50/15 search epochs, up to 500 fine-tuning epochs, "
                    + "patience 10). Default: ${DEFAULT-VALUE}.")
    String budget;
    @Option(names = "--train-images", paramLabel = "N", description = "Training images in D_repair (0 = all).")
    Integer trainImages;
    @Option(names = "--search-epochs", paramLabel = "E", description = "Search epochs.")
    Integer searchEpochs;
    @Option(names = "--warmup", paramLabel = "E", description = "Search epochs with weight steps only.")
    Integer warmup;
    @Option(names = "--finetune-epochs", paramLabel = "E", description = "Most fine-tuning epochs (early stopping may end sooner).")
    Integer fineTuneEpochs;
    @Option(names = "--patience", paramLabel = "E", description = "Epochs without a lower validation loss before stopping.")
    Integer patience;
    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default 128).")
    Integer batch;
    @Option(names = "--lr", paramLabel = "LR", description = "Weight learning rate (default 0.01; cosine to 0).")
    Double lr;
    @Option(names = "--weight-decay", paramLabel = "W", description = "Weight decay (default 5e-4).")
    Double weightDecay;
    @Option(names = "--clip", paramLabel = "C", description = "Gradient norm clip of weight steps (default 5).")
    Double clip;
    @Option(names = "--arch-lr", paramLabel = "LR", description = "Adam learning rate of the architecture (default 6e-4).")
    Double archLr;

    Budget resolve() {
        Budget preset = switch (budget) {
            case "default" -> new Budget(5_000, 8, 2, 10, 3, 128, 0.01, 5e-4, 5, 6e-4);
            case "paper" -> new Budget(0, 50, 15, 500, 10, 128, 0.01, 5e-4, 5, 6e-4);
            default -> throw new IllegalArgumentException("--budget " + budget + ": expected default or paper");
        };
        return new Budget(or(trainImages, preset.trainImages()), or(searchEpochs, preset.searchEpochs()),
                or(warmup, preset.warmup()), or(fineTuneEpochs, preset.fineTuneEpochs()), or(patience, preset.patience()),
                or(batch, preset.batch()), or(lr, preset.lr()), or(weightDecay, preset.weightDecay()), or(clip, preset.clip()),
                or(archLr, preset.archLr()));
    }

    private static <T> T or(T v, T fallback) {
        return v != null ? v : fallback;
    }
}
