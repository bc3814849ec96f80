package org.archrepair.models;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.BatchNorm2d;
import org.archrepair.engine.nn.Conv2d;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.Linear;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR ResNets of kuangliu/pytorch-cifar (models/resnet.py), the subjects of the ArchRepair
 * paper: a 3x3 stem to 64 channels (no 7x7 conv, no max-pool), four stages layer1..layer4 of 64,
 * 128, 256, 512 planes (first-unit strides 1, 2, 2, 2) built of BasicBlocks (ResNet-18/34) or
 * Bottlenecks (50/101/152), average pooling and a linear head. Names match kuangliu's state_dict
 * (projection shortcuts are {@code shortcut.0} conv and {@code shortcut.1} BN).
 *
 * <p>Input (n, 3, h, w); kuangliu's avg_pool2d(4) equals global pooling at 32x32, and global pooling
 * is our choice at 64x64 (Tiny-ImageNet, ALGORITHM.md section 3.1). PyTorch default initialization.
 */
public final class ResNet extends StagedResNet {

    /** out = relu(bn2(conv3x3(relu(bn1(conv3x3_s(x))))) + shortcut(x)); expansion 1. */
    public static final class BasicBlock extends Module implements ResidualUnit {
        public final Conv2d conv1, conv2;
        public final BatchNorm2d bn1, bn2;
        public final Module shortcut;

        BasicBlock(Init init, int in, int planes, int stride) {
            conv1 = child("conv1", new Conv2d(init, in, planes, 3, stride, 1));
            bn1 = child("bn1", new BatchNorm2d(init, planes));
            conv2 = child("conv2", new Conv2d(init, planes, planes, 3, 1, 1));
            bn2 = child("bn2", new BatchNorm2d(init, planes));
            shortcut = child("shortcut", projection(init, in, planes, stride));
        }

        @Override
        protected Tensor compute(Tensor x) {
            Tensor out = Ops.relu(forwardChild("bn1", forwardChild("conv1", x)));
            out = forwardChild("bn2", forwardChild("conv2", out));
            return Ops.relu(Ops.add(out, forwardChild("shortcut", x)));
        }

        @Override
        public List<CandidateBlock.NeuronLayer> neuronLayers(String path) {
            List<CandidateBlock.NeuronLayer> out = new ArrayList<>(List.of(
                    new CandidateBlock.NeuronLayer(path + ".conv1", path + ".bn1", conv1.out),
                    new CandidateBlock.NeuronLayer(path + ".conv2", path + ".bn2", conv2.out)));
            addProjection(out, path, shortcut);
            return out;
        }
    }

    /** conv1x1 + BN + ReLU, conv3x3 (stride here) + BN + ReLU, conv1x1 (x4) + BN, + shortcut, ReLU. */
    public static final class Bottleneck extends Module implements ResidualUnit {
        static final int EXPANSION = 4;
        public final Conv2d conv1, conv2, conv3;
        public final BatchNorm2d bn1, bn2, bn3;
        public final Module shortcut;

        Bottleneck(Init init, int in, int planes, int stride) {
            conv1 = child("conv1", new Conv2d(init, in, planes, 1, 1, 0));
            bn1 = child("bn1", new BatchNorm2d(init, planes));
            conv2 = child("conv2", new Conv2d(init, planes, planes, 3, stride, 1));
            bn2 = child("bn2", new BatchNorm2d(init, planes));
            conv3 = child("conv3", new Conv2d(init, planes, EXPANSION * planes, 1, 1, 0));
            bn3 = child("bn3", new BatchNorm2d(init, EXPANSION * planes));
            shortcut = child("shortcut", projection(init, in, EXPANSION * planes, stride));
        }

        @Override
        protected Tensor compute(Tensor x) {
            Tensor out = Ops.relu(forwardChild("bn1", forwardChild("conv1", x)));
            out = Ops.relu(forwardChild("bn2", forwardChild("conv2", out)));
            out = forwardChild("bn3", forwardChild("conv3", out));
            return Ops.relu(Ops.add(out, forwardChild("shortcut", x)));
        }

        @Override
        public List<CandidateBlock.NeuronLayer> neuronLayers(String path) {
            List<CandidateBlock.NeuronLayer> out = new ArrayList<>(List.of(
                    new CandidateBlock.NeuronLayer(path + ".conv1", path + ".bn1", conv1.out),
                    new CandidateBlock.NeuronLayer(path + ".conv2", path + ".bn2", conv2.out),
                    new CandidateBlock.NeuronLayer(path + ".conv3", path + ".bn3", conv3.out)));
            addProjection(out, path, shortcut);
            return out;
        }
    }

    /** The identity, or conv1x1 (stride s) + BN when the shape changes: kuangliu's nn.Sequential shortcut. */
    static Module projection(Init init, int in, int out, int stride) {
        if (stride == 1 && in == out) return new Sequential();
        return new Sequential(new Conv2d(init, in, out, 1, stride, 0), new BatchNorm2d(init, out));
    }

    static void addProjection(List<CandidateBlock.NeuronLayer> out, String path, Module shortcut) {
        if (shortcut instanceof Sequential s && s.size() == 2)
            out.add(new CandidateBlock.NeuronLayer(path + ".shortcut.0", path + ".shortcut.1", ((Conv2d) s.at(0)).out));
    }

    private ResNet(String name, Init init, boolean bottleneck, int[] units, int classes) {
        super(name, classes);
        stem(new Conv2d(init, 3, 64, 3, 1, 1), new BatchNorm2d(init, 64));
        int in = 64;
        int[] planes = {64, 128, 256, 512};
        for (int s = 0; s < 4; s++) {
            List<Module> blocks = new ArrayList<>();
            for (int b = 0; b < units[s]; b++) {
                int stride = b == 0 && s > 0 ? 2 : 1;
                blocks.add(bottleneck ? new Bottleneck(init, in, planes[s], stride) : new BasicBlock(init, in, planes[s], stride));
                in = planes[s] * (bottleneck ? Bottleneck.EXPANSION : 1);
            }
            stage(blocks);
        }
        head(new Linear(init, in, classes));
    }

    public static ResNet resnet18(Init init, int classes) {
        return new ResNet("resnet18", init, false, new int[]{2, 2, 2, 2}, classes);
    }

    public static ResNet resnet34(Init init, int classes) {
        return new ResNet("resnet34", init, false, new int[]{3, 4, 6, 3}, classes);
    }

    public static ResNet resnet50(Init init, int classes) {
        return new ResNet("resnet50", init, true, new int[]{3, 4, 6, 3}, classes);
    }

    public static ResNet resnet101(Init init, int classes) {
        return new ResNet("resnet101", init, true, new int[]{3, 4, 23, 3}, classes);
    }

    public static ResNet resnet152(Init init, int classes) {
        return new ResNet("resnet152", init, true, new int[]{3, 8, 36, 3}, classes);
    }
}
