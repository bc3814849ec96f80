package org.archrepair.repair.baselines;

import org.archrepair.engine.Rng;
import org.archrepair.engine.nn.Linear;
import org.archrepair.models.Network;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Normalization;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Arachne's inputs, fitness, localization costs and batched patch evaluation against hand or closed forms. */
class ArachneTest {
    @Test
    void fitnessCountsRightInputsAndRewardsWrongOnesByTheirLoss() {
        // input 0: positive, right; input 1: positive, wrong; input 2: negative, right (fixed); input 3: negative, wrong
        float[] logits = {2, 0, 0, 2, 3, 0, 0, 1};
        int[] labels = {0, 0, 0, 0};
        boolean[] neg = {false, false, true, true};
        double ce1 = Math.log(1 + Math.exp(2)), ce3 = Math.log(1 + Math.exp(1));
        double expected = 1 + 1 / (1 + ce1) + 10 * (1 + 1 / (1 + ce3));
        assertEquals(expected, ArachneMethod.fitness(logits, labels, neg, 10), 1e-12);
    }

    @Test
    void positivesMatchTheNegativesPerPredictedLabel() {
        int[] labels = {0, 0, 1, 1, 1, 2, 2, 2, 0, 1};
        int[] pred = {1, 0, 1, 1, 1, 1, 2, 2, 0, 2};       // wrong: 0 (pred 1), 5 (pred 1), 9 (pred 2)
        ArachneMethod.Inputs in = ArachneMethod.inputs(labels, pred, 3, new Rng(1));
        assertEquals(3, in.negatives());
        assertArrayEquals(new int[]{0, 5, 9}, java.util.Arrays.copyOf(in.indices(), 3));
        int[] posByPred = new int[3];
        for (int i = 3; i < in.indices().length; i++) {
            assertEquals(labels[in.indices()[i]], pred[in.indices()[i]], "a positive is right");
            posByPred[pred[in.indices()[i]]]++;
            assertFalse(in.negative()[i]);
        }
        assertArrayEquals(new int[]{0, 2, 1}, posByPred, "two negatives predicted 1, one predicted 2");
    }

    @Test
    void costsCombineNegativesOverPositivesAndKeepTheFront() {
        var neg = new ArachneLocalizer.Raw(new double[]{4, 2, 1}, new double[]{1, 3, 0.5});
        var pos = new ArachneLocalizer.Raw(new double[]{1, 0, 0}, new double[]{0, 1, 0});
        ArachneLocalizer.Costs c = ArachneLocalizer.combine(neg, pos);
        assertArrayEquals(new double[]{2, 2, 1}, c.gl());
        assertArrayEquals(new double[]{1, 1.5, 0.5}, c.fi());
        assertArrayEquals(new int[]{1}, c.front(), "(2, 1.5) dominates (2, 1) and (1, 0.5)");
    }

    /** The tiny network and D_train^repair images of BaselineMethodsTest. */
    private record Probe(Network net, float[] images, int[] labels, int[] chw) {
    }

    private static Probe probe() {
        BaselineMethodsTest.Setup s = BaselineMethodsTest.setup();
        ImageDataset train = s.data().split().train();
        Pixels px = new Pixels(Normalization.unit(3), train);
        return new Probe(s.net(), Forward.images(train, Forward.all(train.size()), px), train.labels(),
                new int[]{px.channels, px.height, px.width});
    }

    @Test
    void headCostsMatchTheirClosedForms() {
        Probe p = probe();
        Linear head = (Linear) p.net().get("linear");
        int n = p.labels().length, in = head.in, k = head.out;
        Forward.Recorded r = Forward.record(p.net(), BaselineMethodsTest.BE, p.images(), n, p.chw(), List.of("linear"), true);
        float[] f = r.values().get("linear"), w = head.weight.toFloatArray();
        double[] gl = new double[k * in], fi = new double[k * in];
        for (int e = 0; e < n; e++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < k; j++) max = Math.max(max, r.logits()[e * k + j]);
            for (int j = 0; j < k; j++) sum += Math.exp(r.logits()[e * k + j] - max);
            for (int o = 0; o < k; o++) {
                double dz = Math.exp(r.logits()[e * k + o] - max) / sum - (o == p.labels()[e] ? 1 : 0);
                double norm = 0;
                for (int j = 0; j < in; j++) norm += Math.abs(f[e * in + j] * w[o * in + j]);
                for (int j = 0; j < in; j++) {
                    gl[o * in + j] += dz * f[e * in + j];                   // dCE/dw = (p - y) x
                    fi[o * in + j] += Math.abs(f[e * in + j] * w[o * in + j]) / norm / k / n;   // back = 1/K: d(sum z)/dz = 1
                }
            }
        }
        ArachneLocalizer.Raw raw = ArachneLocalizer.raw(p.net(), BaselineMethodsTest.BE, "linear", p.images(), p.labels(), p.chw());
        for (int i = 0; i < gl.length; i++) {
            assertEquals(Math.abs(gl[i]), raw.gl()[i], 1e-4 * Math.max(1, Math.abs(gl[i])), "GL " + i);
            assertEquals(fi[i], raw.fi()[i], 1e-5 * Math.max(1e-3, fi[i]), "FI " + i);
        }
        assertTrue(p.net().parameters().stream().allMatch(org.archrepair.engine.Tensor::requiresGrad), "thawed afterwards");
    }

    @Test
    void batchedPatchesGiveTheLogitsOfThePatchedNetwork() {
        Probe p = probe();
        int n = p.labels().length;
        for (String layer : List.of("linear", "layer3.1.conv1")) {
            var weight = ArachneLocalizer.weightOf(p.net().get(layer));
            float[] w0 = weight.toFloatArray();
            int[] idx = {0, 5, 17};
            LayerPatch patch = layer.equals("linear")
                    ? new LayerPatch.Head(p.net(), BaselineMethodsTest.BE, layer, idx, List.of(p.images()), List.of(n), p.chw())
                    : new LayerPatch.Replayed(p.net(), BaselineMethodsTest.BE, layer, idx, List.of(p.images()), List.of(n), p.chw());
            float[][] candidates = {{0.3f, -0.2f, 0.1f}, {-1f, 1f, 0.5f}};
            float[][] got = patch.logits(candidates, 0);
            assertArrayEquals(w0, weight.toFloatArray(), "the layer is left as it was");
            for (int c = 0; c < 2; c++) {
                weight.copyFrom(LayerPatch.patched(w0, idx, candidates[c]));
                float[] expected = Forward.logits(p.net(), BaselineMethodsTest.BE, p.images(), n, p.chw());
                weight.copyFrom(w0);
                assertArrayEquals(expected, got[c], 1e-4f, layer + ", candidate " + c);
            }
        }
    }

    @Test
    void replayPointIsTheNearestSequentialLink() {
        Probe p = probe();
        assertEquals("layer3.2", LayerPatch.Replayed.replayPoint(p.net(), "layer3.2.conv2"));
        assertEquals("layer1.0", LayerPatch.Replayed.replayPoint(p.net(), "layer1.0.conv1"));
        assertThrows(IllegalArgumentException.class, () -> LayerPatch.Replayed.replayPoint(p.net(), "conv1"));
    }
}
