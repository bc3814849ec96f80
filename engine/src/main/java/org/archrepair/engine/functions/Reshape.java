package org.archrepair.engine.functions;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Function;

import java.util.Arrays;

/** y = x viewed with a new shape (the buffer is shared); dx = dy viewed with x's shape. */
public final class Reshape extends Function {
    private final int[] xShape;

    private Reshape(Tensor x) {
        super(x);
        this.xShape = x.shape();
    }

    /** One dimension may be -1: it is inferred from the others. */
    public static Tensor apply(Tensor x, int... shape) {
        int[] s = infer(shape, x.numel(), x.shape());
        return Tensor.result(x.data(), s, new Reshape(x));
    }

    static int[] infer(int[] shape, long numel, int[] from) {
        int[] s = shape.clone();
        int free = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (free >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Arrays.toString(shape));
                free = i;
            } else known *= s[i];
        }
        if (free >= 0 && known > 0 && numel % known == 0) s[free] = (int) (numel / known);
        if (Tensor.volume(s) != numel)
            throw new IllegalArgumentException("reshape " + Arrays.toString(from) + " to " + Arrays.toString(shape)
                    + ": element counts differ");
        return s;
    }

    @Override
    public Tensor[] backward(Tensor dy) {
        return new Tensor[]{Tensor.wrap(dy.data(), xShape)};
    }
}
