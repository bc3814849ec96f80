package org.archrepair.repair.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LearningCurveTest {
    @TempDir
    Path dir;

    @Test
    void drawsTheCurvesIntoAPng() throws Exception {
        List<EpochRecord> h = List.of(new EpochRecord(1, 0.1, 1.6, 0.4, 0.5, 300),
                new EpochRecord(2, 0.05, 1.0, 0.7, 0.65, 290), new EpochRecord(3, 0.0, 0.6, 0.8, 0.82, 295));
        Path png = dir.resolve("curve.png");
        LearningCurve.write(h, "resnet20", png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(800, img.getWidth());
        assertEquals(480, img.getHeight());
        // the test-accuracy line (red) is drawn somewhere in the plot area
        boolean red = false;
        for (int x = 0; x < img.getWidth() && !red; x++)
            for (int y = 0; y < img.getHeight() && !red; y++) red = img.getRGB(x, y) == 0xffd62728;
        assertTrue(red, "no test-accuracy pixels");
        assertTrue(java.nio.file.Files.readString(dir.resolve("curve.svg")).contains("<svg"), "the SVG beside the PNG");
    }
}
