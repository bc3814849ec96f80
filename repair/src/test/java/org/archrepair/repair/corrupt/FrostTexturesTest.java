package org.archrepair.repair.corrupt;

import org.archrepair.models.data.Downloader;
import org.archrepair.repair.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The frost textures: the originals shrunk as cv2.resize(fx=0.2) does, their hashes, and the announced fallback. */
class FrostTexturesTest {
    @TempDir
    Path dir;

    @Test
    void originalsAreShrunkByPickingEveryFifthPixel() throws Exception {
        Path folder = TestData.require("frost");
        FrostTextures t = FrostTextures.fromFolder(folder);
        assertFalse(t.isProcedural());
        int[][] sizes = {{120, 180}, {63, 112}, {63, 112}, {70, 105}, {99, 132}};   // round(0.2 x (600x900, 315x560, 350x527, 495x660))
        for (int i = 0; i < 5; i++) {
            assertEquals(sizes[i][0], t.get(i).height());
            assertEquals(sizes[i][1], t.get(i).width());
        }
        BufferedImage original = ImageIO.read(folder.resolve("frost2.png").toFile());
        for (int[] p : new int[][]{{0, 0}, {10, 37}, {62, 111}}) {
            int rgb = original.getRGB(5 * p[1] + 2, 5 * p[0] + 2);
            for (int c = 0; c < 3; c++) assertEquals((rgb >> (16 - 8 * c)) & 0xff, t.get(1).value(c, p[0], p[1]));
        }
    }

    @Test
    void aModifiedTextureIsAnErrorNamingIt() throws Exception {
        Path folder = TestData.require("frost");
        for (Path p : List.of("frost1.png", "frost2.png", "frost3.png", "frost4.jpg", "frost5.jpg").stream().map(folder::resolve).toList())
            Files.copy(p, dir.resolve(p.getFileName()));
        byte[] b = Files.readAllBytes(dir.resolve("frost4.jpg"));
        b[b.length / 2] ^= 1;
        Files.write(dir.resolve("frost4.jpg"), b);
        IOException e = assertThrows(IOException.class, () -> FrostTextures.fromFolder(dir));
        assertTrue(e.getMessage().contains("frost4.jpg has SHA-256"), e.getMessage());
        Files.delete(dir.resolve("frost2.png"));
        e = assertThrows(IOException.class, () -> FrostTextures.fromFolder(dir));
        assertTrue(e.getMessage().contains("has no frost2.png"), e.getMessage());
    }

    @Test
    void withoutTheOriginalsTheFallbackIsAnnounced() throws Exception {
        Downloader offline = new Downloader(new Downloader.Settings(dir.resolve("empty-cache"), true));
        List<String> said = new ArrayList<>();
        FrostTextures t = FrostTextures.resolve(null, offline, (d, total) -> { }, 3, said::add);
        assertTrue(t.isProcedural());
        assertTrue(t.source().startsWith("procedural fallback"));
        assertEquals(1, said.size());
        assertTrue(said.getFirst().contains("procedural texture") && said.getFirst().contains("--frost DIR"), said.getFirst());
        for (int i = 0; i < FrostTextures.COUNT; i++) {
            FrostTextures.Texture tex = t.get(i);
            assertEquals(64, tex.height());
            double mean = 0;
            for (int c = 0; c < 3; c++) for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) mean += tex.value(c, y, x) / (3.0 * 64 * 64);
            assertTrue(mean > 140 && mean < 170, "mean " + mean);
        }
    }
}
