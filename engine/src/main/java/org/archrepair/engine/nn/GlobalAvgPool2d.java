package org.archrepair.engine.nn;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;

/** Mean over the spatial dimensions: (n, c, h, w) to (n, c) (adaptive_avg_pool2d(1) then flatten). */
public class GlobalAvgPool2d extends Module {
    @Override
    protected Tensor compute(Tensor x) {
        return Ops.globalAvgPool(x);
    }
}
