package org.archrepair.bench;

import org.junit.jupiter.api.Assumptions;

/** libtorch on 1 intra-op thread for the peer tests, or the test skipped (aborted) with the reason where it cannot load. */
final class TorchForTests {
    private TorchForTests() {
    }

    static Torch startOrSkip() {
        try {
            return Torch.start(1);
        } catch (Exception | LinkageError e) {
            Assumptions.abort("the PyTorch native library cannot be loaded: " + e);
            throw new AssertionError(e);                                  // not reached: abort throws
        }
    }
}
