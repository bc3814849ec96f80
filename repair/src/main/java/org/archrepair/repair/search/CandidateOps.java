package org.archrepair.repair.search;

import org.archrepair.engine.nn.AvgPool2d;
import org.archrepair.engine.nn.BatchNorm2d;
import org.archrepair.engine.nn.Conv2d;
import org.archrepair.engine.nn.Identity;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.MaxPool2d;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.ReLU;
import org.archrepair.engine.nn.Sequential;

/**
 * Fresh modules for the generic operations, exactly as DARTS defines them
 * (quark0/darts: cnn/operations.py, ALGORITHM.md section 7) at stride 1 on c channels, with the
 * search convention of batch norm without affine parameters; and the adapters that bring a node
 * to another edge's shape. PyTorch's default initialization throughout.
 */
public final class CandidateOps {
    private CandidateOps() {
    }

    /** The op of a generic primitive (not NONE, not ORIG) on c channels, shape-preserving. */
    public static Module op(Primitive p, Init init, int c) {
        return switch (p) {
            case SKIP -> new Identity();
            case AVG_POOL -> new Sequential(new AvgPool2d(3, 1, 1), new BatchNorm2d(init, c, false));
            case MAX_POOL -> new Sequential(new MaxPool2d(3, 1, 1), new BatchNorm2d(init, c, false));
            case SEP_CONV -> new Sequential(new ReLU(), depthwise(init, c, 1), pointwise(init, c, c, 1),
                    new BatchNorm2d(init, c, false), new ReLU(), depthwise(init, c, 1), pointwise(init, c, c, 1),
                    new BatchNorm2d(init, c, false));
            case DIL_CONV -> new Sequential(new ReLU(), depthwise(init, c, 2), pointwise(init, c, c, 1),
                    new BatchNorm2d(init, c, false));
            case NONE, ORIG -> throw new IllegalArgumentException(p.label() + " has no module of its own");
        };
    }

    /** conv1x1 (in -> out, stride) + BN: generic ops of an edge whose ends differ in shape read X^i through it. */
    public static Module adapter(Init init, int in, int out, int stride) {
        return new Sequential(pointwise(init, in, out, stride), new BatchNorm2d(init, out, false));
    }

    private static Conv2d depthwise(Init init, int c, int dilation) {
        return new Conv2d(init, c, c, 3, 1, dilation, dilation, c, false);
    }

    private static Conv2d pointwise(Init init, int in, int out, int stride) {
        return new Conv2d(init, in, out, 1, stride, 0);
    }
}
