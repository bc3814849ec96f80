package org.archrepair.repair.corrupt;

import org.archrepair.engine.io.AtomicFile;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A bar chart of a robustness report (XChart): accuracy per corruption, one bar per severity, the clean accuracy as a line. */
public final class RobustnessChart {
    private RobustnessChart() {
    }

    public static CategoryChart chart(RobustnessReport r) {
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(520)
                .title(r.model() + " on " + Path.of(r.folder()).getFileName() + String.format(
                        ": mean corruption accuracy %.2f%% (clean %.2f%%)", 100 * r.meanCorruptionAccuracy(), 100 * r.cleanAccuracy()))
                .xAxisTitle("corruption").yAxisTitle("accuracy (%)").build();
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setAvailableSpaceFill(0.85);
        List<String> names = r.corruptions();
        for (int j = 0; j < r.severities().size(); j++) {
            List<Double> acc = new ArrayList<>();
            for (String c : names) acc.add(100 * r.accuracy(c, j));
            chart.addSeries("severity " + r.severities().get(j), names, acc);
        }
        CategorySeries clean = chart.addSeries("clean", names, Collections.nCopies(names.size(), 100 * r.cleanAccuracy()));
        clean.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        return chart;
    }

    /** stem.png and stem.svg, each written atomically. */
    public static void write(RobustnessReport r, Path stem) throws IOException {
        CategoryChart chart = chart(r);
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFile.write(stem.resolveSibling(stem.getFileName() + ".png"), out -> out.write(png));
        AtomicFile.write(stem.resolveSibling(stem.getFileName() + ".svg"),
                out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
    }
}
