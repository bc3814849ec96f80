package org.archrepair.repair.baselines;

import org.archrepair.engine.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Retrain's clean-copy rows: of a (copies x n, classes) batch, exactly the first n rows. */
class RetrainTest {
    @Test
    void cleanRowsAreTheFirstCopy() {
        float[] v = new float[3 * 2 * 4];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Tensor logits = Tensor.of(BaselineMethodsTest.BE, v, 6, 4);
        Tensor clean = Retrain.cleanRows(logits, 2);
        assertArrayEquals(new int[]{2, 4}, clean.shape());
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5, 6, 7}, clean.toFloatArray());
        assertArrayEquals(v, Retrain.cleanRows(logits, 6).toFloatArray(), "one copy: all rows");
    }
}
