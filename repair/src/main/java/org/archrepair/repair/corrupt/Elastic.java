package org.archrepair.repair.corrupt;

import org.archrepair.engine.Rng;
import org.archrepair.repair.corrupt.Filters.Boundary;

import static org.archrepair.repair.corrupt.Pixels.C;
import static org.archrepair.repair.corrupt.Pixels.H;
import static org.archrepair.repair.corrupt.Pixels.PLANE;
import static org.archrepair.repair.corrupt.Pixels.W;

/**
 * elastic_transform of CIFAR-10-C: (1) a random affine map that moves the three points (26, 26),
 * (26, 6), (6, 6) (x, y) by U(-aff, aff) each, applied as OpenCV's warpAffine (bilinear, positions
 * in OpenCV's fixed point of 1/32 pixel, border reflect-101); (2) displacement fields dx, dy =
 * alpha gaussian(U(-1, 1), sigma, mode 'reflect', truncate 3); (3) scipy's map_coordinates with
 * order 1 and mode 'reflect' at (row + dy, column + dx).
 */
final class Elastic {
    /** (alpha, sigma, affine), all times the image size 32. */
    static final double[][] PARAMS = {{0, 0, 0.08}, {0.05, 0.2, 0.07}, {0.08, 0.06, 0.06}, {0.1, 0.04, 0.05},
            {0.1, 0.03, 0.03}};
    private static final float[][] POINTS = {{26, 26}, {26, 6}, {6, 6}};

    private Elastic() {
    }

    static byte[] transform(byte[] x, int severity, Rng rng) {
        double alpha = H * PARAMS[severity - 1][0], sigma = H * PARAMS[severity - 1][1], aff = H * PARAMS[severity - 1][2];
        float[][] moved = new float[3][2];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++) moved[i][j] = POINTS[i][j] + (float) (-aff + 2 * aff * rng.nextDouble());
        double[] image = new double[x.length];
        for (int i = 0; i < x.length; i++) image[i] = (float) ((x[i] & 0xff) / 255f);
        double[] warped = warpAffine(image, affineTransform(POINTS, moved));
        double[] dx = displacement(rng, sigma, alpha), dy = displacement(rng, sigma, alpha);
        double[] out = new double[x.length];
        for (int c = 0; c < C; c++)
            for (int y = 0; y < H; y++)
                for (int xx = 0; xx < W; xx++)
                    out[c * PLANE + y * W + xx] = bilinearReflect(warped, c * PLANE, y + dy[y * W + xx], xx + dx[y * W + xx]);
        return Pixels.fromUnit(out);
    }

    /** alpha gaussian(U(-1, 1) field, sigma, mode 'reflect', truncate 3), as float32. */
    private static double[] displacement(Rng rng, double sigma, double alpha) {
        double[] field = new double[PLANE], out = new double[PLANE];
        for (int i = 0; i < PLANE; i++) field[i] = -1 + 2 * rng.nextDouble();
        Filters.separable(field, 0, H, W, Filters.gaussianKernel(sigma, 3), Boundary.REFLECT, out, 0);
        for (int i = 0; i < PLANE; i++) out[i] = (float) (out[i] * alpha);
        return out;
    }

    /** OpenCV getAffineTransform: the 2 x 3 M with M (x, y, 1) = (u, v) for the three point pairs (Cramer's rule). */
    static double[] affineTransform(float[][] src, float[][] dst) {
        double x0 = src[0][0], y0 = src[0][1], x1 = src[1][0], y1 = src[1][1], x2 = src[2][0], y2 = src[2][1];
        double det = x0 * (y1 - y2) - y0 * (x1 - x2) + (x1 * y2 - x2 * y1);
        double[] m = new double[6];
        for (int r = 0; r < 2; r++) {
            double u0 = dst[0][r], u1 = dst[1][r], u2 = dst[2][r];
            m[3 * r] = (u0 * (y1 - y2) - y0 * (u1 - u2) + (u1 * y2 - u2 * y1)) / det;
            m[3 * r + 1] = (x0 * (u1 - u2) - u0 * (x1 - x2) + (x1 * u2 - x2 * u1)) / det;
            m[3 * r + 2] = (x0 * (y1 * u2 - y2 * u1) - y0 * (x1 * u2 - x2 * u1) + u0 * (x1 * y2 - x2 * y1)) / det;
        }
        return m;
    }

    /**
     * cv2.warpAffine(image, m, (32, 32), INTER_LINEAR, BORDER_REFLECT_101) on every plane: the
     * inverse map sends each output pixel to a source position rounded to 1/32 pixel as OpenCV does
     * (AB_BITS = 10, INTER_BITS = 5), then bilinear weights of that fraction.
     */
    static double[] warpAffine(double[] image, double[] m) {
        double d = m[0] * m[4] - m[1] * m[3];
        d = d != 0 ? 1 / d : 0;
        double a11 = m[4] * d, a22 = m[0] * d, a12 = -m[1] * d, a21 = -m[3] * d;
        double b1 = -a11 * m[2] - a12 * m[5], b2 = -a21 * m[2] - a22 * m[5];
        double[] out = new double[image.length];
        for (int y = 0; y < H; y++) {
            long x0 = (long) Math.rint((a12 * y + b1) * 1024) + 16, y0 = (long) Math.rint((a22 * y + b2) * 1024) + 16;
            for (int x = 0; x < W; x++) {
                long fxFixed = (x0 + (long) Math.rint(a11 * x * 1024)) >> 5, fyFixed = (y0 + (long) Math.rint(a21 * x * 1024)) >> 5;
                int sx = (int) (fxFixed >> 5), sy = (int) (fyFixed >> 5);
                float fx = (fxFixed & 31) / 32f, fy = (fyFixed & 31) / 32f;
                int xa = Boundary.REFLECT_101.index(sx, W), xb = Boundary.REFLECT_101.index(sx + 1, W);
                int ya = Boundary.REFLECT_101.index(sy, H), yb = Boundary.REFLECT_101.index(sy + 1, H);
                for (int c = 0; c < C; c++) {
                    int p = c * PLANE;
                    out[p + y * W + x] = (float) ((1 - fy) * ((1 - fx) * image[p + ya * W + xa] + fx * image[p + ya * W + xb])
                            + fy * ((1 - fx) * image[p + yb * W + xa] + fx * image[p + yb * W + xb]));
                }
            }
        }
        return out;
    }

    /** Linear interpolation of the half-sample-symmetric extension of a plane at (row, col) (scipy, order 1, 'reflect'). */
    static double bilinearReflect(double[] plane, int offset, double row, double col) {
        int r0 = (int) Math.floor(row), c0 = (int) Math.floor(col);
        double tr = row - r0, tc = col - c0;
        int ra = Boundary.REFLECT.index(r0, H), rb = Boundary.REFLECT.index(r0 + 1, H);
        int ca = Boundary.REFLECT.index(c0, W), cb = Boundary.REFLECT.index(c0 + 1, W);
        return (1 - tr) * ((1 - tc) * plane[offset + ra * W + ca] + tc * plane[offset + ra * W + cb])
                + tr * ((1 - tc) * plane[offset + rb * W + ca] + tc * plane[offset + rb * W + cb]);
    }
}
