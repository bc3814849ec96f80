package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import org.archrepair.engine.Tensor;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.Network;
import org.archrepair.repair.search.SearchSpace;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two sides of {@link SearchStepBench} compute the same thing: from the same state, one search
 * step (architecture step, then weight step) gives the same losses, alphas and stage weights in
 * ours and in the libtorch twin (relative L2 error 1e-3). Without this the benchmark could
 * time two different computations. Skips where libtorch cannot load.
 */
class SearchStepPeersTest {
    @Test
    void oneStepAgrees() throws IOException {
        Torch torch = TorchForTests.startOrSkip();
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

    /**
     * Relative L2 error ||ours - theirs|| / ||theirs|| <= 1e-3. The max norm at 1e-4 of scale failed
     * on a Zen 5 with AVX-512 on a BN bias that one step moves from 0 to ~2e-4 (worst 4.5e-7), where
     * libtorch's own float32 convolution backward is off its float64 one on some shapes
     * (PyTorchConformanceTest skips those); a different computation would still be off by O(1).
     */
    private static void assertClose(String what, Tensor ours, NDArray theirs) {
        float[] a = ours.toFloatArray(), b = theirs.toFloatArray();
        double norm = 0, difference = 0;
        for (int i = 0; i < a.length; i++) {
            norm += (double) b[i] * b[i];
            difference += Math.pow(a[i] - b[i], 2);
        }
        double relative = Math.sqrt(difference / Math.max(norm, 1e-30));
        assertTrue(relative <= 1e-3, what + ": relative L2 error " + relative);
    }
}
