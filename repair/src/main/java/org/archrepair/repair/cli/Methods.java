package org.archrepair.repair.cli;

import org.archrepair.repair.baselines.ApricotMethod;
import org.archrepair.repair.baselines.ArachneMethod;
import org.archrepair.repair.baselines.DeepRepairMethod;
import org.archrepair.repair.baselines.FewShotMethod;
import org.archrepair.repair.baselines.ModeMethod;
import org.archrepair.repair.baselines.SenseiMethod;
import org.archrepair.repair.method.ArchRepairMethod;
import org.archrepair.repair.method.RepairMethod;
import org.archrepair.repair.method.WeightOnlyMethod;

import java.util.List;
import java.util.Locale;

/** The repair methods by command-line name: ArchRepair, the weight-only levels and the six published methods. */
final class Methods {
    /** The six published methods, in the paper's Table 4 order. */
    static final List<String> BASELINES = List.of("mode", "apricot", "arachne", "sensei", "fewshot", "deeprepair");
    static final List<String> LEVELS = List.of("neuron", "layer", "block", "network");
    /** What compare --methods all runs: the baselines, ArchRepair, the weight-only levels. */
    static final List<String> ALL = java.util.stream.Stream.of(BASELINES, List.of("archrepair"), LEVELS)
            .flatMap(List::stream).toList();

    private Methods() {
    }

    static RepairMethod create(String name, ArchRepairOptions arch, BaselineOptions b) {
        return switch (name) {
            case "archrepair" -> new ArchRepairMethod(arch.space(), arch.block, arch.unrolled);
            case "neuron", "layer", "block", "network" ->
                    new WeightOnlyMethod(WeightOnlyMethod.Level.valueOf(name.toUpperCase(Locale.ROOT)), arch.block);
            case "mode" -> new ModeMethod(b.modeThreshold, b.modeRatio);
            case "apricot" -> new ApricotMethod(switch (b.apricotSign) {
                case "original" -> ApricotMethod.Sign.ORIGINAL;
                case "intuitive" -> ApricotMethod.Sign.INTUITIVE;
                default -> throw new IllegalArgumentException("--apricot-sign " + b.apricotSign
                        + ": expected original or intuitive");
            }, b.apricotModels);
            case "arachne" -> new ArachneMethod(b.arachneLayer, b.arachnePopulation, b.arachneGenerations);
            case "sensei" -> new SenseiMethod(b.senseiFilters, !b.senseiNoSelective);
            case "fewshot" -> new FewShotMethod();
            case "deeprepair" -> new DeepRepairMethod();
            default -> throw new IllegalArgumentException("--method " + name + ": expected " + String.join(", ", ALL));
        };
    }

    /** --methods: "all" or a comma-separated list of names, each checked. */
    static List<String> parse(String list) {
        if (list.equals("all")) return ALL;
        List<String> out = java.util.Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String m : out)
            if (!ALL.contains(m))
                throw new IllegalArgumentException("--methods: unknown method '" + m + "'; known: all, " + String.join(", ", ALL));
        if (out.isEmpty()) throw new IllegalArgumentException("--methods: no method given");
        return out;
    }
}
