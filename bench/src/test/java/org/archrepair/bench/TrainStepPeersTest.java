package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import org.archrepair.engine.Tensor;
import org.archrepair.kernels.cpu.CpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two sides of {@link TrainStepBench} compute the same thing for each model it offers: from the
 * same initial state (Peers), one training step on the same 8 images gives the same loss and the
 * same change of every parameter and running statistic (to {@link #TOLERANCE} in the L2 norm) in
 * ours and in the libtorch twin. Without this the
 * benchmark could time two different networks (a missing shortcut, a wrong stride). Skips where
 * libtorch cannot load.
 */
class TrainStepPeersTest {
    /**
     * Far below what a different network gives (a wrong stride or a missing shortcut changes the step
     * by O(1)) and above float32 noise with ReLU flips: at random initialization a pre-activation
     * within rounding of 0 can fall on the other side of the ReLU in one implementation, which moves
     * its channel's gradients by a whole unit's share (on ResNet-18 at batch 8, seed 1: one channel
     * of layer3.1.bn1, 0.3% of its tensor's change in the max norm, more upstream; our scalar
     * reference backend flips the same unit as the fast one).
     */
    private static final double TOLERANCE = 1e-2;
    @ParameterizedTest
    @ValueSource(strings = {Peers.RESNET20, Peers.RESNET18})
    void oneStepAgrees(String model) throws IOException {
        Torch torch = TorchForTests.startOrSkip();
        ImageBatch data = ImageBatch.cifar10OrRandom(8);
        TrainStepBench ours = new TrainStepBench(), theirs = new TrainStepBench();
        ours.model = theirs.model = model;
        ours.setUpOurs(CpuBackend.fast(2), data);
        theirs.setUpPyTorch(torch, data);
        try {
            Map<String, Tensor> state = ours.net().stateDict();
            assertEquals(theirs.peer().parameters().size() + theirs.peer().buffers().size(), state.size(),
                    "state tensors, ours " + state.keySet());
            Map<String, float[]> before = new java.util.LinkedHashMap<>();
            state.forEach((name, t) -> before.put(name, t.toFloatArray()));
            float lossOurs = ours.ours(), lossTheirs = theirs.pytorch();
            assertTrue(Math.abs(lossOurs - lossTheirs) <= 1e-4 * Math.max(1, Math.abs(lossTheirs)),
                    model + " loss: ours " + lossOurs + ", libtorch " + lossTheirs);
            theirs.peer().parameters().forEach((name, p) -> assertClose(model + " " + name, before.get(name), state.get(name), p));
            theirs.peer().buffers().forEach((name, b) -> assertClose(model + " " + name, before.get(name), state.get(name), b));
        } finally {
            ours.tearDown();
            theirs.tearDown();
        }
    }

    /**
     * The change of one tensor by the step (after - before) agrees on both sides to TOLERANCE in the
     * relative L2 norm ||ours - theirs|| / ||theirs' change||.
     */
    private static void assertClose(String what, float[] before, Tensor ours, NDArray theirs) {
        assertTrue(ours != null, what + " is missing on our side");
        float[] a = ours.toFloatArray(), b = theirs.toFloatArray();
        assertEquals(b.length, a.length, what + " size");
        double change = 0, difference = 0;
        for (int i = 0; i < a.length; i++) {
            change += Math.pow(b[i] - before[i], 2);
            difference += Math.pow(a[i] - b[i], 2);
        }
        double relative = Math.sqrt(difference / Math.max(change, 1e-30));
        assertTrue(relative <= TOLERANCE, what + ": the steps differ by " + relative + " of the change");
    }
}
