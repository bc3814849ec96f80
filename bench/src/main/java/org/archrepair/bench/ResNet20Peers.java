package org.archrepair.bench;

import org.archrepair.engine.Rng;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.Network;
import org.archrepair.models.ResNetCifar;

/**
 * The two ResNet-20s the end-to-end benchmarks compare, starting from the same weights: ours
 * ({@code ResNetCifar.resnet20}, akamaster's kaiming-normal initialization from a fixed seed) and
 * {@link TorchResNet20} holding a copy of exactly that state. Also the training hyper-parameters
 * both sides step with (akamaster's: SGD, lr 0.1, momentum 0.9, weight decay 5e-4; lr held constant).
 *
 * <p>What this is not: a benchmark (see {@code TrainStepBench}, {@code InferenceBench}) or a test.
 */
final class ResNet20Peers {
    static final long SEED = 1;
    static final float LR = 0.1f, MOMENTUM = 0.9f, WEIGHT_DECAY = 5e-4f;

    private ResNet20Peers() {
    }

    /** Our ResNet-20 on backend, initialized from {@link #SEED}. */
    static Network ours(Backend backend) {
        return ResNetCifar.resnet20(new Init(backend, new Rng(SEED)), TorchResNet20.CLASSES);
    }

    /** The PyTorch twin with the same initial state as {@link #ours} (built on the scalar backend, no workers). */
    static TorchResNet20 pytorch(Torch torch) {
        try (CpuBackend host = CpuBackend.reference()) {
            return new TorchResNet20(torch, StateDicts.toHost(ours(host)));
        }
    }
}
