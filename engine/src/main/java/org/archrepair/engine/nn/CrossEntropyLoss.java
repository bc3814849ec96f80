package org.archrepair.engine.nn;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;

/** Mean softmax cross-entropy, as torch.nn.CrossEntropyLoss(): logits (n, classes), int32 labels (n). */
public final class CrossEntropyLoss {
    private CrossEntropyLoss() {
    }

    public static Tensor of(Tensor logits, Tensor labels) {
        return Ops.crossEntropy(logits, labels);
    }
}
