package org.archrepair.repair.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** The options of the six published methods (repair and compare); defaults are the originals' (ALGORITHM.md 9). */
public final class BaselineOptions {
    @Option(names = "--arachne-layer", paramLabel = "PATH",
            description = "arachne: the layer to repair (a Linear or Conv2d module path). Default: the last layer.")
    String arachneLayer;
    @Option(names = "--arachne-population", defaultValue = "100", paramLabel = "N",
            description = "arachne: differential evolution's population. Default: ${DEFAULT-VALUE}.")
    int arachnePopulation;
    @Option(names = "--arachne-generations", defaultValue = "100", paramLabel = "N",
            description = "arachne: most generations (it also stops when the best is unchanged for max(10, N/10)). "
                    + "Default: ${DEFAULT-VALUE}.")
    int arachneGenerations;
    @Option(names = "--apricot-sign", defaultValue = "original", paramLabel = "SIGN",
            description = "apricot: original (the re-implementation's 'both-org' sign, away from the correct models' mean) "
                    + "or intuitive (toward it). Default: ${DEFAULT-VALUE}.")
    String apricotSign;
    @Option(names = "--apricot-models", defaultValue = "20", paramLabel = "N",
            description = "apricot: reduced models. Default: ${DEFAULT-VALUE}.")
    int apricotModels;
    @Option(names = "--mode-threshold", defaultValue = "0.05", paramLabel = "D",
            description = "mode: Bhattacharyya distance under which the feature heads' predictions have stopped "
                    + "changing. Default: ${DEFAULT-VALUE}.")
    double modeThreshold;
    @Option(names = "--mode-ratio", defaultValue = "0.5", paramLabel = "R",
            description = "mode: share of every batch taken from the selected inputs. Default: ${DEFAULT-VALUE}.")
    double modeRatio;
    @Option(names = "--sensei-filters", description = "sensei: also search zoom, brightness and contrast.")
    boolean senseiFilters;
    @Option(names = "--sensei-no-selective", description = "sensei: augment every image, also robust ones.")
    boolean senseiNoSelective;

    /** This method's settings for its report (empty for the methods that have none here). */
    Map<String, Object> toJson(String method) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (method) {
            case "arachne" -> {
                m.put("arachne_layer", arachneLayer);
                m.put("arachne_population", arachnePopulation);
                m.put("arachne_generations", arachneGenerations);
            }
            case "apricot" -> {
                m.put("apricot_sign", apricotSign);
                m.put("apricot_models", apricotModels);
            }
            case "mode" -> {
                m.put("mode_threshold", modeThreshold);
                m.put("mode_ratio", modeRatio);
            }
            case "sensei" -> {
                m.put("sensei_filters", senseiFilters);
                m.put("sensei_selective", !senseiNoSelective);
            }
            default -> {
            }
        }
        return m;
    }
}
