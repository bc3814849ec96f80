package org.archrepair.kernels.cpu.ref;

import org.archrepair.kernels.BinaryOp;
import org.archrepair.kernels.BroadcastSpec;
import org.archrepair.kernels.UnaryOp;

/** Scalar reference for elementwise, broadcast and reduction primitives. */
public final class ElementwiseRef {
    private ElementwiseRef() {
    }

    public static void unary(UnaryOp op, float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) y[i] = op.apply(x[i]);
    }

    /** dx = dy * (y > 0) */
    public static void reluBackward(float[] y, float[] dy, float[] dx) {
        for (int i = 0; i < y.length; i++) dx[i] = y[i] > 0f ? dy[i] : 0f;
    }

    /** y = a op b over a row-major odometer with zero strides on broadcast dimensions. */
    public static void binary(BinaryOp op, BroadcastSpec s, float[] a, float[] b, float[] y) {
        int[] ys = s.yShape();
        int rank = ys.length;
        long[] sa = BroadcastSpec.broadcastStrides(s.aShape(), ys);
        long[] sb = BroadcastSpec.broadcastStrides(s.bShape(), ys);
        int[] idx = new int[rank];
        long ia = 0, ib = 0;
        int total = (int) BroadcastSpec.volume(ys);
        for (int i = 0; i < total; i++) {
            y[i] = op.apply(a[(int) ia], b[(int) ib]);
            for (int d = rank - 1; d >= 0; d--) {          // advance the odometer
                idx[d]++;
                ia += sa[d];
                ib += sb[d];
                if (idx[d] < ys[d]) break;
                ia -= sa[d] * ys[d];
                ib -= sb[d] * ys[d];
                idx[d] = 0;
            }
        }
    }

    /** y[j] = sum of x[i] over the i that broadcast to j (accumulated in double, then rounded once). */
    public static void sumTo(int[] xShape, float[] x, int[] yShape, float[] y) {
        int rank = xShape.length;
        long[] sy = BroadcastSpec.broadcastStrides(yShape, xShape);
        double[] acc = new double[y.length];
        int[] idx = new int[rank];
        long iy = 0;
        for (int i = 0; i < x.length; i++) {
            acc[(int) iy] += x[i];
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                iy += sy[d];
                if (idx[d] < xShape[d]) break;
                iy -= sy[d] * xShape[d];
                idx[d] = 0;
            }
        }
        for (int j = 0; j < y.length; j++) y[j] = (float) acc[j];
    }

    public static void affine(float[] x, float[] y, float a, float b) {
        for (int i = 0; i < x.length; i++) y[i] = a * x[i] + b;
    }

    public static void axpy(float a, float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }

    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
