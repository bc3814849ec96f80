package org.archrepair.models.checkpoint;

import org.archrepair.engine.io.HostArray;
import org.archrepair.models.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two real akamaster checkpoints (legacy torch.save) from shared/data/pretrained; skipped when absent. */
class PretrainedLegacyTest {

    /** The state_dict names and shapes the pretrained README lists, in state_dict order, for n blocks per stage. */
    static Map<String, int[]> expectedResnet(int n) {
        Map<String, int[]> m = new java.util.LinkedHashMap<>();
        m.put("conv1.weight", new int[]{16, 3, 3, 3});
        bn(m, "bn1", 16);
        int in = 16;
        for (int stage = 1; stage <= 3; stage++) {
            int planes = 16 << (stage - 1);
            for (int b = 0; b < n; b++) {
                String p = "layer" + stage + "." + b + ".";
                m.put(p + "conv1.weight", new int[]{planes, in, 3, 3});
                bn(m, p + "bn1", planes);
                m.put(p + "conv2.weight", new int[]{planes, planes, 3, 3});
                bn(m, p + "bn2", planes);
                in = planes;
            }
        }
        m.put("linear.weight", new int[]{10, 64});
        m.put("linear.bias", new int[]{10});
        return m;
    }

    private static void bn(Map<String, int[]> m, String prefix, int c) {
        for (String s : List.of("weight", "bias", "running_mean", "running_var")) m.put(prefix + "." + s, new int[]{c});
    }

    private static void checkResnet(Checkpoint c, int n, int tensors, long params, double bestPrec1) {
        assertEquals(Checkpoints.Format.TORCH_LEGACY, c.format());
        Map<String, int[]> expected = expectedResnet(n);
        assertEquals(tensors, c.tensors().size());
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(c.tensors().keySet()), "names in state_dict order");
        expected.forEach((name, shape) -> assertArrayEquals(shape, c.tensors().get(name).shape(), name));
        long p = c.tensors().entrySet().stream().filter(e -> !e.getKey().contains("running_"))
                .mapToLong(e -> e.getValue().data().length).sum();
        assertEquals(params, p, "parameters without BN running statistics (README)");
        assertEquals(bestPrec1, ((Number) c.extras().get("best_prec1")).doubleValue(), 0.005);
        for (Map.Entry<String, HostArray> e : c.tensors().entrySet()) {
            for (float v : e.getValue().data()) assertTrue(Float.isFinite(v), e.getKey() + " holds " + v);
            if (e.getKey().endsWith("running_var"))
                for (float v : e.getValue().data()) assertTrue(v > 0, e.getKey() + " has a non-positive variance " + v);
        }
    }

    @Test
    void resnet20() throws Exception {
        Path f = TestData.require("pretrained/resnet20-12fca82f.th");
        assertEquals(Checkpoints.Format.TORCH_LEGACY, Checkpoints.detect(f));
        checkResnet(Checkpoints.read(f), 3, 97, 269_722, 91.78);
    }

    @Test
    void resnet32() throws Exception {
        Path f = TestData.require("pretrained/resnet32-d509ac18.th");
        checkResnet(Checkpoints.read(f), 5, 157, 464_154, 92.78);
    }
}
