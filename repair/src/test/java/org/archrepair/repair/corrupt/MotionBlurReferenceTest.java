package org.archrepair.repair.corrupt;

import org.archrepair.engine.io.JsonFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Our ImageMagick-free motion blur (the numpy port of bethgelab/imagecorruptions) against
 * ImageMagick 6.9.11's own MagickMotionBlurImage, called through Wand as the reference generator
 * calls it ({@code /opencv/imagemagick.json}, written by {@code make_imagemagick_fixture.py}), at
 * the five severities and five angles on the fixture image of LibraryReferenceTest.
 */
class MotionBlurReferenceTest {
    @Test
    void withinOneGreyLevelOfImageMagick() throws Exception {
        Map<?, ?> ref;
        try (var in = getClass().getResourceAsStream("/opencv/imagemagick.json")) {
            ref = (Map<?, ?>) JsonFormat.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        byte[] image;
        try (var in = getClass().getResourceAsStream("/opencv/reference.json")) {
            Map<?, ?> r = (Map<?, ?>) JsonFormat.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            image = chw(HexFormat.of().parseHex((String) r.get("image_hwc")));
        }
        double[] v = new double[image.length];
        for (int i = 0; i < v.length; i++) v[i] = image[i] & 0xff;
        for (int s = 1; s <= 5; s++)
            for (double angle : new double[]{-45, -20, 0, 30, 90}) {
                MotionBlur.Taps taps = MotionBlur.taps((int) Blurs.MOTION[s - 1][0], Blurs.MOTION[s - 1][1], angle, 32, 32);
                double[] out = new double[v.length];
                for (int c = 0; c < 3; c++) MotionBlur.apply(v, c * 1024, 32, 32, taps, out, c * 1024);
                byte[] magick = chw(HexFormat.of().parseHex((String) ref.get(s + "/" + angle)));
                double mean = 0;
                int max = 0;
                for (int i = 0; i < out.length; i++) {
                    int d = Math.abs(Pixels.truncate255(out[i]) - (magick[i] & 0xff));
                    mean += d / (double) out.length;
                    max = Math.max(max, d);
                }
                // truncation, not rounding: rounded, half the pixels were one level above ImageMagick's (mean 0.5)
                assertTrue(max <= 1 && mean < 0.03, "severity " + s + ", angle " + angle + ": mean " + mean + ", max " + max);
            }
    }

    private static byte[] chw(byte[] hwc) {
        byte[] out = new byte[hwc.length];
        for (int p = 0; p < 1024; p++) for (int c = 0; c < 3; c++) out[c * 1024 + p] = hwc[p * 3 + c];
        return out;
    }
}
