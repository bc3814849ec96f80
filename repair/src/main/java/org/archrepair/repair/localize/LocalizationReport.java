package org.archrepair.repair.localize;

import org.archrepair.engine.io.AtomicFile;
import org.archrepair.repair.report.Reports;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of {@code archrepair localize --out DIR}: localization.json (everything, with the run's
 * provenance), neurons.csv (one row per neuron), table6.md (the paper's Table 6 shape: vulnerable
 * neurons per block and threshold, under S and Ŝ), fig1 (mean gradient per block) and fig2
 * (suspicious neurons per block at k, S beside Ŝ) as PNG and SVG.
 */
public final class LocalizationReport {
    private LocalizationReport() {
    }

    public static void write(Localization loc, Map<String, Object> provenance, Path dir) throws IOException {
        Map<String, Object> json = new java.util.LinkedHashMap<>(provenance);
        json.put("localization", loc.toJson());
        Reports.writeJson(dir.resolve("localization.json"), json);
        AtomicFile.writeString(dir.resolve("neurons.csv"), csv(loc));
        AtomicFile.writeString(dir.resolve("table6.md"), table6(loc, String.valueOf(provenance.getOrDefault("model", ""))));
        Reports.writeChart(fig1(loc), dir.resolve("fig1-gradients"));
        Reports.writeChart(fig2(loc), dir.resolve("fig2-suspicious"));
    }

    static String csv(Localization loc) {
        StringBuilder b = new StringBuilder("block,layer,channel,n_am,n_nm,n_ac,n_nc,s,g,s_hat\n");
        for (Localization.Neuron n : loc.neurons()) {
            Spectrum sp = n.spectrum();
            b.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%.9g,%.9g,%.9g%n", n.block(), n.layer(), n.channel(),
                    sp.failedActive(), sp.failedInactive(), sp.passedActive(), sp.passedInactive(), n.s(), n.g(), n.sHat()));
        }
        return b.toString();
    }

    /** Rows: blocks; columns: ε_k; cells: vulnerable neurons under Ŝ (under S in brackets); chosen blocks marked. */
    public static String table6(Localization loc, String model) {
        StringBuilder b = new StringBuilder();
        b.append("Vulnerable neurons per block").append(model.isEmpty() ? "" : " of " + model)
                .append(" (Ŝ, with S in brackets; ").append(loc.measure().name().toLowerCase(Locale.ROOT))
                .append("; the block each column chooses in bold)\n\n| block | neurons | G_i |");
        for (int k : loc.ks()) b.append(" ε").append(k).append(" |");
        b.append("\n|---|---:|---:|");
        b.append("---:|".repeat(loc.ks().size())).append('\n');
        for (Localization.Block blk : loc.blocks()) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %.4g |", blk.name(), blk.neurons(), blk.meanGradient()));
            for (int t = 0; t < loc.ks().size(); t++) {
                String cell = blk.vulnerableSHat().get(t) + " (" + blk.vulnerableS().get(t) + ")";
                b.append(' ').append(loc.choiceAt(t, true).equals(blk.name()) ? "**" + cell + "**" : cell).append(" |");
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "%nChosen at k = %d: **%s** (S alone: %s; largest mean gradient: %s). "
                        + "Mean of the block means Ḡ = %.4g.%n", loc.k(), loc.chosen(), loc.spectrumChoice(),
                loc.gradientChoice(), loc.meanGradient()));
        return b.toString();
    }

    static CategoryChart fig1(Localization loc) {
        CategoryChart c = new CategoryChartBuilder().width(640).height(400).title("Mean gradient per block (Fig. 1)")
                .xAxisTitle("block").yAxisTitle("G_i = mean over neurons of g_j").build();
        c.getStyler().setLegendVisible(false);
        c.addSeries("G_i", names(loc), loc.blocks().stream().map(Localization.Block::meanGradient).toList());
        return c;
    }

    static CategoryChart fig2(Localization loc) {
        int t = loc.ks().indexOf(loc.k());
        CategoryChart c = new CategoryChartBuilder().width(640).height(400)
                .title("Suspicious neurons per block, top-" + loc.k() + " (Fig. 2)")
                .xAxisTitle("block").yAxisTitle("neurons with score >= ε_" + loc.k()).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.addSeries("S (spectrum)", names(loc), loc.blocks().stream().map(b -> b.vulnerableS().get(t)).toList());
        c.addSeries("Ŝ (reweighted)", names(loc), loc.blocks().stream().map(b -> b.vulnerableSHat().get(t)).toList());
        return c;
    }

    private static List<String> names(Localization loc) {
        return loc.blocks().stream().map(Localization.Block::name).toList();
    }
}
