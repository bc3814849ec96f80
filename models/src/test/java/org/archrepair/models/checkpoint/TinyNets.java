package org.archrepair.models.checkpoint;

import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.BatchNorm2d;
import org.archrepair.engine.nn.Conv2d;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.Linear;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.Sequential;
import org.archrepair.kernels.cpu.CpuBackend;

/**
 * Test-only modules with PyTorch state_dict names: a tiny conv-bn-linear net, and the parameter
 * skeleton of the CIFAR ResNets (names and shapes only; the real architecture lives elsewhere).
 */
final class TinyNets {
    private TinyNets() {
    }

    static Init init(long seed) {
        return new Init(CpuBackend.reference(), new Rng(seed));
    }

    /** conv1 (4,3,3,3), bn1 (4), fc (2,4)+(2). */
    static final class Tiny extends Module {
        Tiny(Init init) {
            child("conv1", new Conv2d(init, 3, 4, 3, 1, 1));
            child("bn1", new BatchNorm2d(init, 4));
            child("fc", new Linear(init, 4, 2));
        }

        @Override
        protected Tensor compute(Tensor x) {
            throw new UnsupportedOperationException("parameters only");
        }
    }

    /** A BasicBlock's parameters: conv1, bn1, conv2, bn2. */
    static final class Block extends Module {
        Block(Init init, int in, int planes) {
            child("conv1", new Conv2d(init, in, planes, 3, 1, 1));
            child("bn1", new BatchNorm2d(init, planes));
            child("conv2", new Conv2d(init, planes, planes, 3, 1, 1));
            child("bn2", new BatchNorm2d(init, planes));
        }

        @Override
        protected Tensor compute(Tensor x) {
            throw new UnsupportedOperationException("parameters only");
        }
    }

    /** The CIFAR ResNet-(6n+2) parameter names and shapes (option A: no shortcut parameters). */
    static final class ResNetSkeleton extends Module {
        ResNetSkeleton(Init init, int n) {
            child("conv1", new Conv2d(init, 3, 16, 3, 1, 1));
            child("bn1", new BatchNorm2d(init, 16));
            int in = 16;
            for (int stage = 1; stage <= 3; stage++) {
                int planes = 16 << (stage - 1);
                Module[] blocks = new Module[n];
                for (int b = 0; b < n; b++) {
                    blocks[b] = new Block(init, in, planes);
                    in = planes;
                }
                child("layer" + stage, new Sequential(blocks));
            }
            child("linear", new Linear(init, 64, 10));
        }

        @Override
        protected Tensor compute(Tensor x) {
            throw new UnsupportedOperationException("parameters only");
        }
    }
}
