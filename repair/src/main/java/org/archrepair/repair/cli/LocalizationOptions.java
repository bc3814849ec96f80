package org.archrepair.repair.cli;

import picocli.CommandLine.Option;

/** The localization settings a repair (and every run of a comparison) localizes with before it repairs. */
final class LocalizationOptions {
    @Option(names = "--spectrum-images", defaultValue = "10000", paramLabel = "N",
            description = "Training images added to D_fail for the localization spectra. Default: ${DEFAULT-VALUE}.")
    int spectrumImages;
    @Option(names = "--top-k", defaultValue = "50", paramLabel = "K", description = "Localization top-k. Default: ${DEFAULT-VALUE}.")
    int topK;
}
