package org.archrepair.engine.nn;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;

/** y = max(x, 0). */
public class ReLU extends Module {
    @Override
    protected Tensor compute(Tensor x) {
        return Ops.relu(x);
    }
}
