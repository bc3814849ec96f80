package org.archrepair.repair.localize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of Algorithm 1: every neuron's spectrum, scores and gradient, every block's mean
 * gradient and vulnerable-neuron counts per threshold, and the chosen block.
 *
 * @param measure   the suspiciousness measure (Tarantula unless asked otherwise)
 * @param k         the top-k of the choice (the paper's default 50)
 * @param ks        the thresholds of Table 6
 * @param neurons   per neuron, flat order
 * @param blocks    per candidate block, forward order
 * @param meanGradient G-bar, the mean of the block means
 * @param chosen    the block of Ŝ at k (the repair's target)
 * @param spectrumChoice the block S alone picks at k
 * @param gradientChoice the block of the largest mean gradient G_i (the paper's Table 1 rule)
 */
public record Localization(Suspiciousness measure, int k, List<Integer> ks, List<Neuron> neurons, List<Block> blocks,
                           double meanGradient, String chosen, String spectrumChoice, String gradientChoice) {

    /** One neuron: where it is, its spectrum, s (Eq. 5), g and ŝ (Eq. 6). */
    public record Neuron(String block, String layer, int channel, Spectrum spectrum, double s, double g, double sHat) {
    }

    /**
     * One block: its neuron count, G_i, the vulnerable-neuron counts for each k of ks under S and
     * under Ŝ, and the sums of the scores of those neurons (the tie-break).
     */
    public record Block(String name, int neurons, double meanGradient, List<Integer> vulnerableS,
                        List<Integer> vulnerableSHat, List<Double> sumS, List<Double> sumSHat) {
    }

    public Block block(String name) {
        return blocks.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    /** The block Ŝ (or S) chooses at threshold ks.get(t). */
    public String choiceAt(int t, boolean reweighted) {
        Block best = null;
        for (Block b : blocks) {
            if (best == null) { best = b; continue; }
            int c = Integer.compare(count(b, t, reweighted), count(best, t, reweighted));
            if (c > 0 || (c == 0 && sum(b, t, reweighted) > sum(best, t, reweighted))) best = b;
        }
        return best.name();
    }

    private static int count(Block b, int t, boolean reweighted) {
        return (reweighted ? b.vulnerableSHat() : b.vulnerableS()).get(t);
    }

    private static double sum(Block b, int t, boolean reweighted) {
        return (reweighted ? b.sumSHat() : b.sumS()).get(t);
    }

    /** The JSON report (neuron entries included). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("measure", measure.name().toLowerCase(java.util.Locale.ROOT));
        m.put("k", k);
        m.put("chosen", chosen);
        m.put("spectrum_only_choice", spectrumChoice);
        m.put("gradient_only_choice", gradientChoice);
        m.put("mean_gradient", meanGradient);
        m.put("ks", ks);
        List<Object> choices = new ArrayList<>();
        for (int t = 0; t < ks.size(); t++)
            choices.add(Map.of("k", ks.get(t), "s", choiceAt(t, false), "s_hat", choiceAt(t, true)));
        m.put("choices", choices);
        List<Object> bs = new ArrayList<>();
        for (Block b : blocks) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", b.name());
            e.put("neurons", b.neurons());
            e.put("mean_gradient", b.meanGradient());
            e.put("vulnerable_s", b.vulnerableS());
            e.put("vulnerable_s_hat", b.vulnerableSHat());
            bs.add(e);
        }
        m.put("blocks", bs);
        List<Object> ns = new ArrayList<>();
        for (Neuron n : neurons) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("block", n.block());
            e.put("layer", n.layer());
            e.put("channel", n.channel());
            e.put("n_am", n.spectrum().failedActive());
            e.put("n_nm", n.spectrum().failedInactive());
            e.put("n_ac", n.spectrum().passedActive());
            e.put("n_nc", n.spectrum().passedInactive());
            e.put("s", n.s());
            e.put("g", n.g());
            e.put("s_hat", n.sHat());
            ns.add(e);
        }
        m.put("neurons", ns);
        return m;
    }
}
