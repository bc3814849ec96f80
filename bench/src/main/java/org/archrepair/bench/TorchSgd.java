package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with momentum and L2 weight decay over named libtorch parameters, updated in place by DJL's
 * native kernel ({@link Torch#sgdUpdate}, one JNI call per tensor): the PyTorch side of the training
 * step that {@code TrainStepBench} times, equal to torch.optim.SGD (no dampening, no Nesterov) for a
 * constant learning rate. The momentum state (p's shape each) lives in this optimizer's own manager.
 *
 * <p>What this is not: a learning-rate schedule, nor our {@code engine.optim.Sgd}.
 */
public final class TorchSgd implements AutoCloseable {
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> state = new LinkedHashMap<>();
    private final NDManager manager;
    private final float lr, momentum, weightDecay;

    /** parameters: live arrays by name (e.g. {@link TorchResNet20#parameters()}). */
    public TorchSgd(Torch torch, Map<String, NDArray> parameters, float lr, float momentum, float weightDecay) {
        this.parameters = parameters;
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.manager = torch.scope();
        parameters.forEach((name, p) -> state.put(name, manager.zeros(p.getShape(), p.getDataType())));
    }

    /** One step: every parameter with a gradient in gradients (by name) moves; others keep their state. */
    public void step(Map<String, NDArray> gradients) {
        parameters.forEach((name, p) -> {
            NDArray g = gradients.get(name);
            if (g != null) Torch.sgdUpdate(p, g, state.get(name), lr, momentum, weightDecay);
        });
    }

    @Override
    public void close() {
        manager.close();
    }
}
