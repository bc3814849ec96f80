package org.archrepair.kernels.cpu.ref;

/** Scalar reference SGEMM (row-major, double accumulation): the oracle for the packed Vector-API kernel. */
public final class GemmRef {
    private GemmRef() {
    }

    /** C = alpha op(A) op(B) + beta C; op(A): (m, k), op(B): (k, n), C: (m, n). */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                float prior = beta == 0f ? 0f : beta * c[ci];
                if (alpha == 0f) {          // reads neither A nor B (NaN there does not reach C), as BLAS
                    c[ci] = prior;
                    continue;
                }
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) av * bv;
                }
                c[ci] = (float) (alpha * s) + prior;
            }
        }
    }
}
