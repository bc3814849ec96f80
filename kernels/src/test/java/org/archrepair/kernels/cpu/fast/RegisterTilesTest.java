package org.archrepair.kernels.cpu.fast;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.archrepair.kernels.cpu.fast.Lanes.L;
import static org.archrepair.kernels.cpu.fast.Panels.NR;

/**
 * Every register-tile driver (4, 6 and 8 rows; packed B and the convolution's offset-table B),
 * forced whatever tile this JVM would pick for the shape, against EJML's float64 product, and
 * bitwise against each other: every driver runs the same chain of fused multiply-adds per C
 * element, so the plan of {@link RowPanels} may change without changing a bit. The tiles that
 * spill at this vector width (8 rows with 16 registers) are slow here, never wrong.
 */
class RegisterTilesTest {

    enum Driver { GEMM4, GEMM6, GEMM8, CONV4, CONV6, CONV8 }

    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        // rows: one panel, odd, the CNN channel counts (16 = 4 + 6 + 6, 64 = 4 + 10 x 6), a mixed plan with padding;
        // columns: under one vector, one tile, several column blocks with an edge; depth: 1, a 3x3 layer, two slices
        for (int m : new int[]{1, 5, 16, 22, 64, 70})
            for (int n : new int[]{3, NR, 5 * NR + L + 3})
                for (int k : new int[]{1, 9, 144, 700})
                    for (boolean acc : new boolean[]{false, true}) out.add(Arguments.of(m, n, k, acc));
        return out.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} accumulate={3}")
    @MethodSource("shapes")
    void everyDriverMatchesEjmlAndTheOthersBitwise(int m, int n, int k, boolean accumulate) {
        float[] a = Tolerance.random(m * k, 31L * m + k), b = Tolerance.random(k * n, 17L * n + k);
        float[] c0 = accumulate ? Tolerance.random(m * n, 7) : new float[m * n];
        float[] expected = ejml(m, n, k, a, b, c0, false), magnitude = ejml(m, n, k, a, b, c0, true);
        float[] first = null;
        for (Driver d : Driver.values()) {
            float[] got = run(d, m, n, k, a, b, c0, accumulate);
            Tolerance.assertClose(d + " vs EJML", expected, got, magnitude);
            if (first == null) first = got;
            else Tolerance.assertBitwise(d + " vs " + Driver.values()[0], first, got);
        }
    }

    /** C0 + A B in float64 by EJML (or |C0| + |A| |B|, the magnitude of each element's terms), rounded to float. */
    private static float[] ejml(int m, int n, int k, float[] a, float[] b, float[] c0, boolean abs) {
        DMatrixRMaj da = matrix(m, k, a, abs), db = matrix(k, n, b, abs), dc = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(da, db, dc);
        CommonOps_DDRM.addEquals(dc, matrix(m, n, c0, abs));
        float[] out = new float[m * n];
        for (int i = 0; i < out.length; i++) out[i] = (float) dc.data[i];
        return out;
    }

    private static DMatrixRMaj matrix(int rows, int cols, float[] v, boolean abs) {
        DMatrixRMaj d = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < v.length; i++) d.data[i] = abs ? Math.abs(v[i]) : v[i];
        return d;
    }

    private static RowPanels plan(Driver d, int m) {
        return switch (d) {
            case GEMM4, CONV4 -> RowPanels.uniform(m, 4);
            case GEMM8, CONV8 -> RowPanels.uniform(m, 8);
            case GEMM6, CONV6 -> RowPanels.mixed(m, 4, 6);
        };
    }

    /** C (m, n) from the driver d, A (m, k) packed for its plan, B (k, n) row-major. */
    private static float[] run(Driver d, int m, int n, int k, float[] a, float[] b, float[] c0, boolean accumulate) {
        RowPanels plan = plan(d, m);
        float[] ap = new float[plan.rows() * k], c = c0.clone();
        Sgemm.packA(plan, Panels.matrixA(a, 0, k, false, 1f), m, k, ap, 0, 0, 1);
        Scratch s = new Scratch();
        int ncBlock = 2 * NR;                           // several column blocks for the wider shapes
        Panels.PackB pb = Panels.matrixB(b, 0, n, false);
        switch (d) {
            case GEMM4 -> Gemm4xNR.multiply(ap, 0, pb, m, n, k, c, 0, n, accumulate, ncBlock, s);
            case GEMM6 -> Gemm6xNR.multiply(plan, ap, 0, pb, m, n, k, c, 0, n, accumulate, ncBlock, s);
            case GEMM8 -> Gemm8xNR.multiply(ap, 0, pb, m, n, k, c, 0, n, accumulate, ncBlock, s);
            default -> runConv(d, plan, ap, m, n, k, b, c, accumulate, s);
        }
        return c;
    }

    /**
     * The convolution form, B(kk, j) = src[rowOff[kk] + colOff[j / L] + j % L], with the rows of B
     * stored in reverse order and every vector of a row at its own place, so a wrong offset lookup
     * reads the wrong numbers.
     */
    private static void runConv(Driver d, RowPanels plan, float[] ap, int m, int n, int k, float[] b, float[] c,
                                boolean accumulate, Scratch s) {
        int vectors = (n + L - 1) / L, ld = (vectors + 1) * L;   // one spare vector: the vectors of a row are reversed
        float[] src = new float[k * ld + L];
        int[] rowOff = new int[k], colOff = new int[vectors];
        for (int v = 0; v < vectors; v++) colOff[v] = (vectors - v) * L;
        for (int kk = 0; kk < k; kk++) {
            rowOff[kk] = (k - 1 - kk) * ld;
            for (int j = 0; j < n; j++) src[rowOff[kk] + colOff[j / L] + j % L] = b[kk * n + j];
        }
        switch (d) {
            case CONV4 -> ConvGemm4xNR.multiply(ap, 0, m, k, src, rowOff, colOff, n, c, 0, n, accumulate, s);
            case CONV6 -> ConvGemm6xNR.multiply(plan, ap, 0, m, k, src, rowOff, colOff, n, c, 0, n, accumulate, s);
            case CONV8 -> ConvGemm8xNR.multiply(ap, 0, m, k, src, rowOff, colOff, n, c, 0, n, accumulate, s);
            default -> throw new IllegalArgumentException(d.toString());
        }
    }
}
