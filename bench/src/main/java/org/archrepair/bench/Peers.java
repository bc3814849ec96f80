package org.archrepair.bench;

import org.archrepair.engine.Rng;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.Network;
import org.archrepair.models.ResNet;
import org.archrepair.models.ResNetCifar;

/**
 * The networks the end-to-end benchmarks compare, ours and PyTorch's starting from the same
 * weights: ResNet-20 ({@code ResNetCifar.resnet20}, akamaster's kaiming-normal initialization, and
 * {@link TorchResNet20}) and ResNet-18 ({@code ResNet.resnet18}, PyTorch's default initialization,
 * and {@link TorchResNet18}), ours initialized from {@link #SEED} and the twin holding a copy of
 * exactly that state. Also the training hyper-parameters both sides step with (akamaster's: SGD,
 * lr 0.1, momentum 0.9, weight decay 5e-4; lr held constant).
 *
 * <p>What this is not: a benchmark (see {@code TrainStepBench}, {@code InferenceBench}) or a test.
 */
final class Peers {
    static final long SEED = 1;
    static final float LR = 0.1f, MOMENTUM = 0.9f, WEIGHT_DECAY = 5e-4f;
    /** The models a benchmark's {@code model} parameter may name. */
    static final String RESNET20 = "resnet20", RESNET18 = "resnet18";

    private Peers() {
    }

    /** Our ResNet-20 on backend, initialized from {@link #SEED}. */
    static Network ours(Backend backend) {
        return ours(RESNET20, backend);
    }

    /** Our model (resnet20 or resnet18) on backend, initialized from {@link #SEED}. */
    static Network ours(String model, Backend backend) {
        Init init = new Init(backend, new Rng(SEED));
        return switch (model) {
            case RESNET20 -> ResNetCifar.resnet20(init, TorchNet.CLASSES);
            case RESNET18 -> ResNet.resnet18(init, TorchNet.CLASSES);
            default -> throw new IllegalArgumentException("no benchmark peer for model " + model
                    + " (" + RESNET20 + " or " + RESNET18 + ")");
        };
    }

    /** The PyTorch twin of ResNet-20 with the same initial state as {@link #ours(Backend)}. */
    static TorchResNet20 pytorch(Torch torch) {
        return (TorchResNet20) pytorch(RESNET20, torch);
    }

    /** The PyTorch twin of model with the same initial state as {@link #ours(String, Backend)} (built on the scalar backend, no workers). */
    static TorchNet pytorch(String model, Torch torch) {
        try (CpuBackend host = CpuBackend.reference()) {
            var state = StateDicts.toHost(ours(model, host));
            return model.equals(RESNET18) ? new TorchResNet18(torch, state) : new TorchResNet20(torch, state);
        }
    }
}
