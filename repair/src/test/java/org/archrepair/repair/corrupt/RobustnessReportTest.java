package org.archrepair.repair.corrupt;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Mean corruption accuracy, CE, mCE and relative mCE on hand-computed cases; the RobustBench CSV layout. */
class RobustnessReportTest {
    @Test
    void errorsRelativeToABaseline() {
        // ours: fog 90, 70 (errors .1, .3); contrast 80, 60 (.2, .4); clean .95
        java.util.LinkedHashMap<String, int[]> correct = new java.util.LinkedHashMap<>(), total = new java.util.LinkedHashMap<>();
        correct.put("fog", new int[]{90, 70});
        correct.put("contrast", new int[]{80, 60});
        correct.put("gaussian_blur", new int[]{10, 10});
        total.put("fog", new int[]{100, 100});
        total.put("contrast", new int[]{100, 100});
        total.put("gaussian_blur", new int[]{100, 100});
        RobustnessReport ours = new RobustnessReport("ours", "/tmp/set", 0.95, List.of(1, 2), correct, total);
        // base: fog 80, 60 (.2, .4); contrast 80, 40 (.2, .6); clean .90
        java.util.LinkedHashMap<String, int[]> bc = new java.util.LinkedHashMap<>();
        bc.put("fog", new int[]{80, 60});
        bc.put("contrast", new int[]{80, 40});
        RobustnessReport base = new RobustnessReport("base", "/tmp/set", 0.90, List.of(1, 2), bc,
                Map.of("fog", new int[]{100, 100}, "contrast", new int[]{100, 100}));
        assertEquals(List.of("fog", "contrast"), ours.averagedOver(), "gaussian_blur is not one of the 15");
        assertEquals((0.8 + 0.7) / 2, ours.meanCorruptionAccuracy(), 1e-12);
        assertEquals(0.4 / 0.6, ours.ce(base, false).get("fog"), 1e-12);
        assertEquals(0.6 / 0.8, ours.ce(base, false).get("contrast"), 1e-12);
        assertEquals((0.4 / 0.6 + 0.6 / 0.8) / 2, ours.mce(base, false), 1e-12);
        // relative: (sum E - 2 E_clean) / (sum E_base - 2 E_base_clean) = (.4 - .1) / (.6 - .2), (.6 - .1) / (.8 - .2)
        assertEquals((0.3 / 0.4 + 0.5 / 0.6) / 2, ours.mce(base, true), 1e-12);
        RobustnessReport fogOnly = new RobustnessReport("f", "/tmp/set", 0.9, List.of(1, 2),
                Map.of("fog", new int[]{1, 1}), Map.of("fog", new int[]{2, 2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ours.mce(fogOnly, false));
        assertTrue(e.getMessage().contains("no result for contrast"), e.getMessage());
        assertEquals(",fog,fog,contrast,contrast,gaussian_blur,gaussian_blur\n,1,2,1,2,1,2\n"
                + "ours,0.9000,0.7000,0.8000,0.6000,0.1000,0.1000\n", ours.csv());
        assertTrue(ours.table(base).contains("mCE 70.83%"), ours.table(base));
    }
}
