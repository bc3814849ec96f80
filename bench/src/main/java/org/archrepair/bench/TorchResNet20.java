package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.archrepair.engine.io.HostArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ResNet-20 for CIFAR-10 (He et al. 2016, option-A shortcuts, akamaster/pytorch_resnet_cifar10)
 * in libtorch calls: the PyTorch twin of our {@code ResNetCifar.resnet20}. conv1 3->16, bn1, relu;
 * layer1..3 of 3 BasicBlocks (16/32/64 channels, stride 2 at the start of layer2 and layer3); global
 * average pooling; linear 64->10. No conv bias; BN eps 1e-5, momentum 0.1 in PyTorch's convention
 * (running = 0.9 running + 0.1 batch, unbiased variance). 59 parameter tensors (269,722 values) and
 * 38 running statistics.
 */
public final class TorchResNet20 extends TorchNet {
    private static final int[] PLANES = {16, 32, 64};
    private static final int BLOCKS_PER_STAGE = 3;

    /** The model with the given state (as our {@code StateDicts.toHost} or {@code Checkpoints.read} give it), float32. */
    public TorchResNet20(Torch torch, Map<String, HostArray> state) {
        this(torch, state, DataType.FLOAT32);
    }

    /**
     * The same in another floating-point type: FLOAT64 makes a double-precision reference (its
     * inputs must be FLOAT64 too). The float32 values of state convert exactly.
     */
    public TorchResNet20(Torch torch, Map<String, HostArray> state, DataType type) {
        super("ResNet-20", torch, state, type);
    }

    /** Every state_dict name and shape of ResNet-20 in PyTorch's order. */
    public static Map<String, int[]> shapes() {
        Map<String, int[]> s = new LinkedHashMap<>();
        s.put("conv1.weight", new int[]{16, 3, 3, 3});
        batchNormShapes(s, "bn1", 16);
        int in = 16;
        for (int stage = 0; stage < 3; stage++) {
            int planes = PLANES[stage];
            for (int b = 0; b < BLOCKS_PER_STAGE; b++) {
                String block = "layer" + (stage + 1) + "." + b;
                s.put(block + ".conv1.weight", new int[]{planes, in, 3, 3});
                batchNormShapes(s, block + ".bn1", planes);
                s.put(block + ".conv2.weight", new int[]{planes, planes, 3, 3});
                batchNormShapes(s, block + ".bn2", planes);
                in = planes;
            }
        }
        s.put("linear.weight", new int[]{CLASSES, 64});
        s.put("linear.bias", new int[]{CLASSES});
        return s;
    }

    @Override
    protected Map<String, int[]> stateShapes() {
        return shapes();
    }

    @Override
    protected NDArray forward(Map<String, NDArray> w, NDArray x, boolean training) {
        NDArray out = Torch.relu(batchNorm(w, "bn1", conv(x, w.get("conv1.weight"), 1, 1), training));
        for (int stage = 0; stage < 3; stage++)
            for (int b = 0; b < BLOCKS_PER_STAGE; b++)
                out = basicBlock(w, "layer" + (stage + 1) + "." + b, out, b == 0 && stage > 0 ? 2 : 1, training);
        return Torch.linear(Torch.globalAvgPool(out), w.get("linear.weight"), w.get("linear.bias"));
    }

    /**
     * relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)); the shortcut is the identity, or, where
     * the block halves the resolution and doubles the channels, x[:, :, ::2, ::2] zero-padded by
     * planes/4 channels on each side. x: (n, c, h, w) -> (n, planes, h / stride, w / stride).
     */
    private NDArray basicBlock(Map<String, NDArray> w, String block, NDArray x, int stride, boolean training) {
        NDArray conv1 = w.get(block + ".conv1.weight");
        int planes = Math.toIntExact(conv1.getShape().get(0));
        NDArray out = Torch.relu(batchNorm(w, block + ".bn1", conv(x, conv1, stride, 1), training));
        out = batchNorm(w, block + ".bn2", conv(out, w.get(block + ".conv2.weight"), 1, 1), training);
        boolean reshapes = stride != 1 || x.getShape().get(1) != planes;
        NDArray shortcut = reshapes ? Torch.subsamplePadChannels(x, stride, planes / 4) : x;
        return Torch.relu(out.add(shortcut));
    }
}
