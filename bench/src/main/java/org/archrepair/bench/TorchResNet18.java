package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.archrepair.engine.io.HostArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ResNet-18 for CIFAR-10 as kuangliu/pytorch-cifar writes it (models/resnet.py), the paper's
 * subject, in libtorch calls: the PyTorch twin of our {@code ResNet.resnet18}. conv1 3x3 3->64, bn1,
 * relu (no max-pool); layer1..4 of 2 BasicBlocks (64/128/256/512 planes, stride 2 at the start of
 * layer2..4, projection shortcuts conv1x1 + BN named shortcut.0 / shortcut.1); avg_pool2d(4), which
 * is global pooling at 32x32; linear 512->10. No conv bias. 62 parameter tensors (11,173,962 values).
 */
public final class TorchResNet18 extends TorchNet {
    private static final int[] PLANES = {64, 128, 256, 512};
    private static final int BLOCKS_PER_STAGE = 2;

    /** The model with the given state (kuangliu's state_dict names), float32. */
    public TorchResNet18(Torch torch, Map<String, HostArray> state) {
        this(torch, state, DataType.FLOAT32);
    }

    /** The same in another floating-point type (FLOAT64: a double-precision reference, FLOAT64 inputs). */
    public TorchResNet18(Torch torch, Map<String, HostArray> state, DataType type) {
        super("ResNet-18", torch, state, type);
    }

    /** Every state_dict name and shape of ResNet-18 in PyTorch's order. */
    public static Map<String, int[]> shapes() {
        Map<String, int[]> s = new LinkedHashMap<>();
        s.put("conv1.weight", new int[]{64, 3, 3, 3});
        batchNormShapes(s, "bn1", 64);
        int in = 64;
        for (int stage = 0; stage < 4; stage++) {
            int planes = PLANES[stage];
            for (int b = 0; b < BLOCKS_PER_STAGE; b++) {
                String block = "layer" + (stage + 1) + "." + b;
                s.put(block + ".conv1.weight", new int[]{planes, in, 3, 3});
                batchNormShapes(s, block + ".bn1", planes);
                s.put(block + ".conv2.weight", new int[]{planes, planes, 3, 3});
                batchNormShapes(s, block + ".bn2", planes);
                if (in != planes) {
                    s.put(block + ".shortcut.0.weight", new int[]{planes, in, 1, 1});
                    batchNormShapes(s, block + ".shortcut.1", planes);
                }
                in = planes;
            }
        }
        s.put("linear.weight", new int[]{CLASSES, 512});
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
        for (int stage = 0; stage < 4; stage++)
            for (int b = 0; b < BLOCKS_PER_STAGE; b++)
                out = basicBlock(w, "layer" + (stage + 1) + "." + b, out, b == 0 && stage > 0 ? 2 : 1, training);
        return Torch.linear(Torch.globalAvgPool(out), w.get("linear.weight"), w.get("linear.bias"));
    }

    /**
     * relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)); the shortcut is the identity, or
     * bn(conv1x1 stride s (x)) where the block changes the shape.
     * x: (n, c, h, w) -> (n, planes, h / stride, w / stride).
     */
    private NDArray basicBlock(Map<String, NDArray> w, String block, NDArray x, int stride, boolean training) {
        NDArray out = Torch.relu(batchNorm(w, block + ".bn1", conv(x, w.get(block + ".conv1.weight"), stride, 1), training));
        out = batchNorm(w, block + ".bn2", conv(out, w.get(block + ".conv2.weight"), 1, 1), training);
        NDArray projection = w.get(block + ".shortcut.0.weight");
        NDArray shortcut = projection == null ? x
                : batchNorm(w, block + ".shortcut.1", conv(x, projection, stride, 0), training);
        return Torch.relu(out.add(shortcut));
    }
}
