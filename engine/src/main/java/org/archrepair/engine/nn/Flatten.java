package org.archrepair.engine.nn;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;

/** (n, ...) to (n, rest). */
public class Flatten extends Module {
    @Override
    protected Tensor compute(Tensor x) {
        return Ops.flatten(x);
    }
}
