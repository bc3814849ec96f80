package org.archrepair.repair.train;

import org.archrepair.engine.io.AtomicFile;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Draws a training history as a PNG: train and test accuracy (left axis, %) and train loss (right axis). */
public final class LearningCurve {
    private static final int W = 800, H = 480, LEFT = 70, RIGHT = 70, TOP = 40, BOTTOM = 50;

    private LearningCurve() {
    }

    public static void write(List<EpochRecord> history, String title, Path png) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int epochs = Math.max(1, history.stream().mapToInt(EpochRecord::epoch).max().orElse(1));
        double maxLoss = Math.max(1e-9, history.stream().mapToDouble(EpochRecord::trainLoss).max().orElse(1));
        axes(g, epochs, maxLoss, title);
        line(g, history, epochs, r -> r.trainAccuracy(), 1.0, new Color(0x1f77b4));
        line(g, history, epochs, r -> r.testAccuracy(), 1.0, new Color(0xd62728));
        line(g, history, epochs, EpochRecord::trainLoss, maxLoss, new Color(0x7f7f7f));
        legend(g);
        g.dispose();
        AtomicFile.write(png, out -> ImageIO.write(img, "png", out));
    }

    private static int x(double epoch, int epochs) {
        return LEFT + (int) Math.round((W - LEFT - RIGHT) * epoch / epochs);
    }

    private static int y(double value, double max) {
        return H - BOTTOM - (int) Math.round((H - TOP - BOTTOM) * value / max);
    }

    private static void axes(Graphics2D g, int epochs, double maxLoss, String title) {
        g.setColor(new Color(0xdddddd));
        for (int p = 0; p <= 100; p += 10) g.drawLine(LEFT, y(p, 100), W - RIGHT, y(p, 100));
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
        for (int p = 0; p <= 100; p += 20) g.drawString(p + "%", LEFT - 40, y(p, 100) + 4);
        for (int i = 0; i <= 4; i++)
            g.drawString(String.format("%.2f", maxLoss * i / 4), W - RIGHT + 8, y(maxLoss * i / 4, maxLoss) + 4);
        int step = Math.max(1, epochs / 10);
        for (int e = 0; e <= epochs; e += step) g.drawString(Integer.toString(e), x(e, epochs) - 6, H - BOTTOM + 18);
        g.drawString("epoch", W / 2 - 15, H - 12);
        g.drawString("accuracy", 8, TOP - 12);
        g.drawString("train loss", W - RIGHT - 10, TOP - 12);
        g.setFont(g.getFont().deriveFont(Font.BOLD, 14f));
        g.drawString(title, LEFT + 120, 22);
    }

    private static void line(Graphics2D g, List<EpochRecord> h, int epochs, ToDoubleFunction<EpochRecord> f, double max,
                             Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < h.size(); i++) {
            int x1 = x(h.get(i).epoch(), epochs), y1 = y(f.applyAsDouble(h.get(i)), max);
            g.fillOval(x1 - 2, y1 - 2, 5, 5);
            if (i > 0) g.drawLine(x(h.get(i - 1).epoch(), epochs), y(f.applyAsDouble(h.get(i - 1)), max), x1, y1);
        }
    }

    private static void legend(Graphics2D g) {
        String[] names = {"train accuracy", "test accuracy", "train loss (right axis)"};
        Color[] colors = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x7f7f7f)};
        // right of centre, at mid height: below converged accuracies, above a decayed loss
        int x0 = W - RIGHT - 200, y0 = TOP + (H - TOP - BOTTOM) * 2 / 5;
        for (int i = 0; i < names.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(x0, y0 + 18 * i, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(names[i], x0 + 25, y0 + 6 + 18 * i);
        }
    }
}
