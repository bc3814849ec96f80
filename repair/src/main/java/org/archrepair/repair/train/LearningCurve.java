package org.archrepair.repair.train;

import org.archrepair.repair.report.Reports;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A training history as a chart (XChart, PNG and SVG): train and test accuracy (left axis, %) and
 * train loss (right axis) per epoch.
 */
public final class LearningCurve {
    /** The colours of train accuracy, test accuracy and train loss. */
    static final Color TRAIN = new Color(0x1f77b4), TEST = new Color(0xd62728), LOSS = new Color(0x7f7f7f);

    private LearningCurve() {
    }

    /** Writes stem.png and stem.svg (png: the .png path; the .svg is written beside it). */
    public static void write(List<EpochRecord> history, String title, Path png) throws IOException {
        XYChart c = new XYChartBuilder().width(800).height(480).title(title).xAxisTitle("epoch").yAxisTitle("accuracy (%)")
                .build();
        c.getStyler().setYAxisMin(0, 0.0).setYAxisMax(0, 100.0).setMarkerSize(5);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        c.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        c.setYAxisGroupTitle(1, "train loss");
        series(c, "train accuracy", history, r -> 100 * r.trainAccuracy(), 0, TRAIN);
        series(c, "test accuracy", history, r -> 100 * r.testAccuracy(), 0, TEST);
        series(c, "train loss (right axis)", history, EpochRecord::trainLoss, 1, LOSS);
        String name = png.getFileName().toString();
        Reports.writeChart(c, png.resolveSibling(name.endsWith(".png") ? name.substring(0, name.length() - 4) : name));
    }

    private static void series(XYChart c, String name, List<EpochRecord> h, ToDoubleFunction<EpochRecord> f, int axis,
                               Color color) {
        double[] x = h.stream().mapToDouble(EpochRecord::epoch).toArray(), y = h.stream().mapToDouble(f).toArray();
        XYSeries s = c.addSeries(name, x, y);
        s.setYAxisGroup(axis);
        s.setLineColor(color);
        s.setMarkerColor(color);
    }
}
