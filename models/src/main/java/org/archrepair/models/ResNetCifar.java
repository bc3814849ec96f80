package org.archrepair.models;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.BatchNorm2d;
import org.archrepair.engine.nn.Conv2d;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.Linear;
import org.archrepair.engine.nn.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR ResNets of He et al. 2016 (section 4.2) with option-A shortcuts, as in
 * akamaster/pytorch_resnet_cifar10, whose pretrained weights load by name: 3x3 stem to 16 channels,
 * three stages of n BasicBlocks (16, 32, 64 channels; stride 2 at the start of stages 2 and 3),
 * global average pooling, a 64 -> classes linear layer. Depth = 6n + 2.
 *
 * <p>Input (n, 3, 32, 32) normalized with the ImageNet mean/std the authors used; output logits.
 */
public final class ResNetCifar extends StagedResNet {

    /**
     * relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), where the shortcut is the identity or,
     * when the stage changes shape, x[:, :, ::2, ::2] zero-padded by planes/4 channels on each side.
     */
    public static final class BasicBlock extends Module implements ResidualUnit {
        public final Conv2d conv1, conv2;
        public final BatchNorm2d bn1, bn2;
        public final int stride, padChannels;

        BasicBlock(Init init, int in, int planes, int stride) {
            conv1 = child("conv1", new Conv2d(init, in, planes, 3, stride, 1));
            bn1 = child("bn1", new BatchNorm2d(init, planes));
            conv2 = child("conv2", new Conv2d(init, planes, planes, 3, 1, 1));
            bn2 = child("bn2", new BatchNorm2d(init, planes));
            this.stride = stride;
            this.padChannels = (stride != 1 || in != planes) ? planes / 4 : 0;
        }

        @Override
        protected Tensor compute(Tensor x) {
            Tensor out = Ops.relu(forwardChild("bn1", forwardChild("conv1", x)));
            out = forwardChild("bn2", forwardChild("conv2", out));
            Tensor shortcut = padChannels == 0 ? x : Ops.padChannels(Ops.subsample(x, stride), padChannels, padChannels);
            return Ops.relu(Ops.add(out, shortcut));
        }

        @Override
        public List<CandidateBlock.NeuronLayer> neuronLayers(String path) {
            return List.of(new CandidateBlock.NeuronLayer(path + ".conv1", path + ".bn1", conv1.out),
                    new CandidateBlock.NeuronLayer(path + ".conv2", path + ".bn2", conv2.out));
        }
    }

    private ResNetCifar(String name, Init init, int blocksPerStage, int classes) {
        super(name, classes);
        stem(new Conv2d(init, 3, 16, 3, 1, 1), new BatchNorm2d(init, 16));
        int in = 16;
        int[] planes = {16, 32, 64};
        for (int s = 0; s < 3; s++) {
            List<Module> blocks = new ArrayList<>();
            for (int b = 0; b < blocksPerStage; b++) {
                blocks.add(new BasicBlock(init, in, planes[s], b == 0 && s > 0 ? 2 : 1));
                in = planes[s];
            }
            stage(blocks);
        }
        head(new Linear(init, 64, classes));
        heInit(init.fork("kaiming"));
    }

    /** akamaster's _weights_init: kaiming_normal_ (fan_in, relu gain) on every conv and linear weight. */
    private void heInit(Init init) {
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d c) c.weight.copyFrom(init.kaimingNormal(c.in * c.kernel * c.kernel, c.weight.shape()));
            if (m instanceof Linear l) l.weight.copyFrom(init.kaimingNormal(l.in, l.weight.shape()));
        }
    }

    public static ResNetCifar resnet20(Init init, int classes) {
        return new ResNetCifar("resnet20", init, 3, classes);
    }

    public static ResNetCifar resnet32(Init init, int classes) {
        return new ResNetCifar("resnet32", init, 5, classes);
    }

    public static ResNetCifar resnet44(Init init, int classes) {
        return new ResNetCifar("resnet44", init, 7, classes);
    }

    public static ResNetCifar resnet56(Init init, int classes) {
        return new ResNetCifar("resnet56", init, 9, classes);
    }

    public static ResNetCifar resnet110(Init init, int classes) {
        return new ResNetCifar("resnet110", init, 18, classes);
    }
}
