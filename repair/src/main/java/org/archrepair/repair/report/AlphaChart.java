package org.archrepair.repair.report;

import org.archrepair.engine.io.AtomicFile;
import org.archrepair.repair.search.Primitive;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The architecture weights over the search: one small XChart line chart per edge (softmax(alpha)
 * of each op against the epoch), laid out in a grid in one PNG.
 */
public final class AlphaChart {
    private static final int W = 320, H = 220, COLUMNS = 3;

    private AlphaChart() {
    }

    /**
     * history: at the start (epoch 0) and after each epoch, edge name -> op weights in logit order
     * (the generic six, then orig where present). The first chart carries the legend.
     */
    public static void write(List<Map<String, float[]>> history, Path png) throws IOException {
        if (history.isEmpty()) return;
        List<String> edges = new ArrayList<>(history.getFirst().keySet());
        int rows = (edges.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage img = new BufferedImage(W * Math.min(COLUMNS, edges.size()), H * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int e = 0; e < edges.size(); e++) {
            XYChart chart = chart(edges.get(e), history);
            chart.getStyler().setLegendVisible(e == 0);
            g.translate((e % COLUMNS) * W, (e / COLUMNS) * H);
            chart.paint(g, W, H);
            g.translate(-(e % COLUMNS) * W, -(e / COLUMNS) * H);
        }
        g.dispose();
        AtomicFile.write(png, out -> ImageIO.write(img, "png", out));
    }

    private static XYChart chart(String edge, List<Map<String, float[]>> history) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(edge).xAxisTitle("epoch").yAxisTitle("weight").build();
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setMarkerSize(3);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setLegendFont(c.getStyler().getLegendFont().deriveFont(8f));
        int ops = history.getFirst().get(edge).length;
        double[] x = new double[history.size()];
        for (int t = 0; t < x.length; t++) x[t] = t;
        for (int o = 0; o < ops; o++) {
            double[] y = new double[history.size()];
            for (int t = 0; t < y.length; t++) y[t] = history.get(t).get(edge)[o];
            String name = o < Primitive.GENERIC.size() ? Primitive.GENERIC.get(o).label() : Primitive.ORIG.label();
            c.addSeries(name, x, y);
        }
        return c;
    }
}
