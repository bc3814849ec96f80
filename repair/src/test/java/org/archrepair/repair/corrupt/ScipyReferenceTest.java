package org.archrepair.repair.corrupt;

import org.archrepair.engine.io.JsonFormat;
import org.archrepair.repair.corrupt.Filters.Boundary;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The scipy.ndimage calls of the reference generator against scipy itself: the fixture
 * {@code /scipy/scipy_reference.json} holds scipy 1.17.1's clipped_zoom (order-1 zoom),
 * gaussian_filter ('reflect' with truncate 3, 'nearest' with truncate 4) and map_coordinates
 * (order 1, 'reflect') of one 32 x 32 plane ({@code make_fixtures.py} beside it wrote it).
 */
class ScipyReferenceTest {
    private static final Map<?, ?> REF;

    static {
        try (var in = ScipyReferenceTest.class.getResourceAsStream("/scipy/scipy_reference.json")) {
            REF = (Map<?, ?>) JsonFormat.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double[] plane() {
        double[] x = new double[1024];
        for (int i = 0; i < 1024; i++) x[i] = (i * 37 % 101) / 100.0;
        return x;
    }

    private static double[] ref(String key) {
        return ((List<?>) REF.get(key)).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }

    @Test
    void clippedZoomMatchesScipy() {
        for (String[] c : new String[][]{{"zoom_1.25", "1.2500000000000002"}, {"zoom_1.11", "1.11"}, {"zoom_2.25", "2.25"}}) {
            double[] out = new double[1024];
            Zoom.of(32, Double.parseDouble(c[1])).apply(plane(), 0, out, 0, false, new double[1024]);
            assertArrayEquals(ref(c[0]), out, 1e-12, c[0]);
        }
    }

    @Test
    void gaussianFiltersMatchScipy() {
        double[] out = new double[1024];
        Filters.separable(plane(), 0, 32, 32, Filters.gaussianKernel(6.4, 3), Boundary.REFLECT, out, 0);
        assertArrayEquals(ref("gaussian_reflect_6.4_t3"), out, 1e-12, "radius 19 > half the image: repeated reflection");
        Filters.separable(plane(), 0, 32, 32, Filters.gaussianKernel(0.7, 4), Boundary.NEAREST, out, 0);
        assertArrayEquals(ref("gaussian_nearest_0.7_t4"), out, 1e-12);
    }

    @Test
    void mapCoordinatesReflectMatchesScipy() {
        double[] rows = ref("map_rows"), cols = ref("map_cols"), expected = ref("map_reflect_order1");
        for (int i = 0; i < rows.length; i++)
            assertEquals(expected[i], Elastic.bilinearReflect(plane(), 0, rows[i], cols[i]), 1e-12,
                    "at (" + rows[i] + ", " + cols[i] + ")");
    }
}
