package org.archrepair.repair.cli;

import org.archrepair.models.Models;
import org.archrepair.models.data.Normalization;
import picocli.CommandLine.Option;

/** --model and --normalization. */
public final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "resnet20, resnet32, resnet44, resnet56, resnet110 (He et al., option A), "
                    + "resnet18, resnet34, resnet50, resnet101, resnet152 (kuangliu), densenet121.")
    String model;

    @Option(names = "--normalization", paramLabel = "NAME",
            description = "Input normalization: akamaster (ImageNet mean/std, the He ResNets' pretrained weights), "
                    + "kuangliu (CIFAR-10 mean/std), or unit (pixels / 255). Default: akamaster for resnet20..110, "
                    + "kuangliu for the others.")
    String normalization;

    /** The model name, checked against the zoo before anything slow happens. */
    String name() {
        if (!Models.names().contains(model))
            throw new IllegalArgumentException("unknown model '" + model + "'; known: " + String.join(", ", Models.names()));
        return model;
    }

    Normalization normalization() {
        String name = normalization != null ? normalization : model.matches("resnet(20|32|44|56|110)") ? "akamaster" : "kuangliu";
        return switch (name) {
            case "akamaster" -> Normalization.AKAMASTER;
            case "kuangliu" -> Normalization.KUANGLIU;
            case "unit" -> Normalization.unit(3);
            default -> throw new IllegalArgumentException("--normalization " + name + ": expected akamaster, kuangliu or unit");
        };
    }
}
