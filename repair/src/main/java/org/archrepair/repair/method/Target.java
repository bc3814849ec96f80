package org.archrepair.repair.method;

import org.archrepair.repair.localize.Localization;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a level repairs, chosen from the localization (our reading of the paper's Table 1 with the
 * ranking of Algorithm 1): the neuron of the largest ŝ; the conv layer holding the most neurons at
 * or above ε_k (ties: the larger sum of ŝ); the chosen block; or the whole network.
 *
 * @param layer   a conv's module path (neuron and layer levels), else null
 * @param channel the neuron's output channel (neuron level), else -1
 */
public record Target(String level, String block, String layer, int channel) {

    public static Target neuron(Localization loc) {
        Localization.Neuron best = loc.neurons().getFirst();
        for (Localization.Neuron n : loc.neurons()) if (n.sHat() > best.sHat()) best = n;
        return new Target("neuron", best.block(), best.layer(), best.channel());
    }

    public static Target layer(Localization loc) {
        return layer(loc, null);
    }

    /** The most suspicious layer among those of block (all blocks when null). */
    public static Target layer(Localization loc, String block) {
        double eps = kth(loc);
        Map<String, double[]> byLayer = new LinkedHashMap<>();          // layer -> {count, sum}
        Map<String, String> blockOf = new LinkedHashMap<>();
        for (Localization.Neuron n : loc.neurons()) {
            if (block != null && !n.block().equals(block)) continue;
            double[] c = byLayer.computeIfAbsent(n.layer(), k -> new double[2]);
            blockOf.put(n.layer(), n.block());
            if (n.sHat() >= eps) {
                c[0]++;
                c[1] += n.sHat();
            }
        }
        String best = null;
        for (var e : byLayer.entrySet())
            if (best == null || e.getValue()[0] > byLayer.get(best)[0]
                    || (e.getValue()[0] == byLayer.get(best)[0] && e.getValue()[1] > byLayer.get(best)[1]))
                best = e.getKey();
        if (best == null) throw new IllegalArgumentException("no candidate block '" + block + "' in the localization");
        return new Target("layer", blockOf.get(best), best, -1);
    }

    public static Target block(Localization loc) {
        return new Target("block", loc.chosen(), null, -1);
    }

    public static Target network() {
        return new Target("network", null, null, -1);
    }

    private static double kth(Localization loc) {
        double[] s = loc.neurons().stream().mapToDouble(Localization.Neuron::sHat).sorted().toArray();
        return s[Math.max(0, s.length - Math.min(loc.k(), s.length))];
    }

    @Override
    public String toString() {
        return switch (level) {
            case "neuron" -> layer + " channel " + channel;
            case "layer", "archrepair-layer" -> layer;
            case "block", "archrepair-block" -> block;
            default -> "the whole network";
        };
    }
}
