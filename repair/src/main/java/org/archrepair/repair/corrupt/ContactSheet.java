package org.archrepair.repair.corrupt;

import org.archrepair.engine.io.AtomicFile;
import org.archrepair.models.data.ImageDataset;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A picture of what the corruptions do: one row per corruption, and for each chosen image its clean
 * version followed by severities 1..5, each pixel drawn as a scale x scale block.
 */
public final class ContactSheet {
    private static final int LABEL = 128, HEADER = 22, GAP = 10, PAD = 2;

    private ContactSheet() {
    }

    public static BufferedImage draw(ImageDataset set, int[] images, List<Corruption> corruptions, Corruptor corruptor,
                                     int scale) {
        int tile = Pixels.W * scale, per = 1 + Corruption.SEVERITIES;
        int width = LABEL + images.length * (per * (tile + PAD)) + (images.length - 1) * GAP;
        int height = HEADER + corruptions.size() * (tile + PAD);
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int k = 0; k < images.length; k++) {
            int left = LABEL + k * (per * (tile + PAD) + GAP);
            for (int s = 0; s < per; s++)
                g.drawString(s == 0 ? "clean" : "sev " + s, left + s * (tile + PAD) + 4, HEADER - 6);
            byte[] clean = new byte[set.imageBytes()];
            set.copyImage(images[k], clean, 0);
            for (int r = 0; r < corruptions.size(); r++) {
                Corruption c = corruptions.get(r);
                int top = HEADER + r * (tile + PAD);
                paint(sheet, clean, left, top, scale);
                for (int s = 1; s <= Corruption.SEVERITIES; s++)
                    paint(sheet, corruptor.apply(c, s, images[k], clean), left + s * (tile + PAD), top, scale);
            }
        }
        for (int r = 0; r < corruptions.size(); r++)
            g.drawString(corruptions.get(r).id(), 6, HEADER + r * (tile + PAD) + tile / 2 + 4);
        g.dispose();
        return sheet;
    }

    public static void write(Path png, BufferedImage sheet) throws IOException {
        AtomicFile.write(png, out -> ImageIO.write(sheet, "png", out));
    }

    /** x: (3, 32, 32) uint8. */
    private static void paint(BufferedImage sheet, byte[] x, int left, int top, int scale) {
        for (int y = 0; y < Pixels.H; y++)
            for (int xx = 0; xx < Pixels.W; xx++) {
                int i = y * Pixels.W + xx;
                int rgb = (x[i] & 0xff) << 16 | (x[Pixels.PLANE + i] & 0xff) << 8 | (x[2 * Pixels.PLANE + i] & 0xff);
                for (int dy = 0; dy < scale; dy++)
                    for (int dx = 0; dx < scale; dx++) sheet.setRGB(left + xx * scale + dx, top + y * scale + dy, rgb);
            }
    }
}
