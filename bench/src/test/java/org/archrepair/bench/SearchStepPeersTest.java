package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import org.archrepair.engine.Tensor;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.Network;
import org.archrepair.repair.search.SearchSpace;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two sides of {@link SearchStepBench} compute the same thing: from the same state, one search
 * step (architecture step, then weight step) gives the same losses, alphas and stage weights in
 * ours and in the libtorch twin, to 1e-4 of each tensor's scale. Without this the benchmark could
 * time two different computations. Skips where libtorch cannot load.
 */
class SearchStepPeersTest {
    @Test
    void oneStepAgrees() throws IOException {
        Torch torch;
        try {
            torch = Torch.start(1);
        } catch (Exception | LinkageError e) {
            Assumptions.abort("the PyTorch native library cannot be loaded: " + e);
            return;
        }
        ImageBatch data = ImageBatch.cifar10OrRandom(32);
        SearchStepBench bench = new SearchStepBench(), pt = new SearchStepBench();
        bench.setUpOurs(CpuBackend.fast(2), data);
        pt.setUpPyTorch(torch, data);
        {
            float lossOurs = bench.ours(), lossTheirs = pt.pytorch();
            assertTrue(Math.abs(lossOurs - lossTheirs) <= 1e-4 * Math.max(1, Math.abs(lossTheirs)),
                    "weight-step loss: ours " + lossOurs + ", libtorch " + lossTheirs);
            Map<String, Tensor> alphasOurs = bench.space().architectureParameters();
            pt.twin().alphas().forEach((k, a) -> assertClose("alpha " + k, alphasOurs.get("alpha/" + k), a));
            Map<String, Tensor> weights = bench.space().module().namedParameters();
            pt.twin().blockWeights().forEach((k, w) -> assertClose(k, weights.get(k.substring("layer3.".length())), w));
            bench.tearDown();
            pt.tearDown();
        }
    }

    private static void assertClose(String what, Tensor ours, NDArray theirs) {
        float[] a = ours.toFloatArray(), b = theirs.toFloatArray();
        double scale = 0, worst = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(b[i]));
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertTrue(worst <= 1e-4 * Math.max(scale, 1e-12), what + ": worst " + worst + " at scale " + scale);
    }
}
