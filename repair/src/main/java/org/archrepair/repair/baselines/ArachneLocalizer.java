package org.archrepair.repair.baselines;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.autograd.Gradients;
import org.archrepair.engine.nn.Conv2d;
import org.archrepair.engine.nn.Linear;
import org.archrepair.engine.nn.Module;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Network;

import java.util.List;

/**
 * Arachne's bidirectional localization (coinse/arachne: arachne/run_localise.py) of the weights of
 * one Linear or Conv2d layer, every weight scored twice:
 * <ul>
 *   <li>GL, the gradient loss: |sum over inputs of dCE/dw|;</li>
 *   <li>FI, the forward impact: front x back. Front of w (input j to output k): the mean over
 *       inputs of |o_j w| / sum_j' |o_j' w_kj'|, o the layer's input (for a conv, at every output
 *       position over the patch, then summed over positions weighted by back). Back of output k:
 *       the mean over inputs of |d(sum of logits)/d y_k| normalized to sum 1 per input.</li>
 * </ul>
 * Both are computed on the negatives (inputs the model gets wrong) and on the positives, combined
 * as cost = negatives / (1 + positives), and the weights on the Pareto front of (GL, FI) are the
 * ones to repair. All passes run the network in eval mode.
 *
 * <p>Deviation: for a conv, the original divides |o w| by its sum over the patch and the whole
 * batch; here by its sum over the patch per input, as it does for a dense layer.
 */
final class ArachneLocalizer {
    private ArachneLocalizer() {
    }

    /** Per flat weight index: the combined GL and FI costs, and the indices on their Pareto front. */
    record Costs(double[] gl, double[] fi, int[] front) {
    }

    /** The two raw costs of one set of inputs. */
    record Raw(double[] gl, double[] fi) {
    }

    static Costs localize(Network net, Backend be, String layer, float[] neg, int[] negLabels, float[] pos,
                          int[] posLabels, int[] chw) {
        Raw n = raw(net, be, layer, neg, negLabels, chw), p = raw(net, be, layer, pos, posLabels, chw);
        return combine(n, p);
    }

    static Costs combine(Raw neg, Raw pos) {
        int m = neg.gl().length;
        double[] gl = new double[m], fi = new double[m];
        double[][] points = new double[m][];
        for (int i = 0; i < m; i++) {
            gl[i] = neg.gl()[i] / (1 + pos.gl()[i]);
            fi[i] = neg.fi()[i] / (1 + pos.fi()[i]);
            points[i] = new double[]{gl[i], fi[i]};
        }
        return new Costs(gl, fi, ParetoFront.of(points));
    }

    /** GL and FI of the layer's weights over the given inputs (normalized images (n, C, H, W) and labels). */
    static Raw raw(Network net, Backend be, String layer, float[] images, int[] labels, int[] chw) {
        Module target = net.get(layer);
        Tensor weight = weightOf(target);
        int m = (int) weight.numel(), n = labels.length, per = chw[0] * chw[1] * chw[2];
        double[] gl = new double[m], fi = new double[m];
        Runnable modes = net.snapshotModes();
        List<Tensor> frozen = net.parameters().stream().filter(Tensor::requiresGrad).toList();
        net.eval();
        net.freeze();
        weight.setRequiresGrad(true);
        Tensor[] io = new Tensor[2];
        Module.HookHandle hook = target.addForwardHook((mod, x, y) -> {
            io[0] = x;
            io[1] = y;
        });
        try {
            for (int from = 0; from < n; from += Forward.CHUNK) {
                int c = Math.min(Forward.CHUNK, n - from);
                Tensor x = Tensor.of(be, java.util.Arrays.copyOfRange(images, from * per, (from + c) * per), c, chw[0], chw[1], chw[2]);
                Tensor logits = net.forward(x);
                Tensor loss = Ops.affine(Ops.crossEntropy(logits, Tensor.ofInts(be, java.util.Arrays.copyOfRange(labels, from,
                        from + c), c)), c, 0f);
                float[] g = Autograd.grad(loss, List.of(weight)).get(weight).toFloatArray();
                for (int i = 0; i < m; i++) gl[i] += g[i];
                Gradients back = Autograd.grad(Ops.sum(logits), List.of(io[1]));
                float[] dy = back.get(io[1]).toFloatArray();
                addForwardImpact(target, io[0].toFloatArray(), io[0].shape(), weight.toFloatArray(), dy, io[1].shape(), fi);
            }
        } finally {
            hook.remove();
            net.freeze();
            frozen.forEach(t -> t.setRequiresGrad(true));
            modes.run();
        }
        for (int i = 0; i < m; i++) {
            gl[i] = Math.abs(gl[i]);
            fi[i] /= n;
        }
        return new Raw(gl, fi);
    }

    static Tensor weightOf(Module m) {
        if (m instanceof Linear l) return l.weight;
        if (m instanceof Conv2d c) {
            if (c.groups != 1) throw new IllegalArgumentException("Arachne: grouped conv " + c + " is not supported");
            return c.weight;
        }
        throw new IllegalArgumentException("Arachne repairs a Linear or Conv2d layer, not " + m);
    }

    /** Add each input's front x back to fi (summed over inputs; the caller divides by their count). */
    static void addForwardImpact(Module target, float[] x, int[] xShape, float[] w, float[] dy, int[] yShape, double[] fi) {
        int n = xShape[0];
        double[] back = new double[dy.length];                 // |dy| normalized per input
        int perY = dy.length / n;
        for (int e = 0; e < n; e++) {
            double s = 0;
            for (int i = 0; i < perY; i++) s += Math.abs(dy[e * perY + i]);
            for (int i = 0; i < perY; i++) back[e * perY + i] = s == 0 ? 0 : Math.abs(dy[e * perY + i]) / s;
        }
        if (target instanceof Linear l) linear(x, n, l.in, l.out, w, back, fi);
        else conv((Conv2d) target, x, xShape, w, back, yShape, fi);
    }

    /** Dense: fi[k][j] += |x_j w_kj| / sum_j' |x_j' w_kj'| * back_k for every input. */
    static void linear(float[] x, int n, int in, int out, float[] w, double[] back, double[] fi) {
        for (int e = 0; e < n; e++)
            for (int k = 0; k < out; k++) {
                double s = 0;
                for (int j = 0; j < in; j++) s += Math.abs(x[e * in + j] * w[k * in + j]);
                if (s == 0) continue;
                double b = back[e * out + k] / s;
                for (int j = 0; j < in; j++) fi[k * in + j] += Math.abs(x[e * in + j] * w[k * in + j]) * b;
            }
    }

    /** Conv: at every output position the patch's |o w| normalized over the patch, times back there, summed. */
    static void conv(Conv2d c, float[] x, int[] xs, float[] w, double[] back, int[] ys, double[] fi) {
        int n = xs[0], ch = xs[1], h = xs[2], wd = xs[3], k = ys[1], oh = ys[2], ow = ys[3], r = c.kernel;
        int patch = ch * r * r;
        double[] a = new double[patch];
        for (int e = 0; e < n; e++)
            for (int o = 0; o < k; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        double b = back[((e * k + o) * oh + i) * ow + j];
                        if (b == 0) continue;
                        double s = 0;
                        for (int q = 0; q < ch; q++)
                            for (int u = 0; u < r; u++)
                                for (int v = 0; v < r; v++) {
                                    int yy = i * c.stride + u * c.dilation - c.padding, xx = j * c.stride + v * c.dilation - c.padding;
                                    double in = yy < 0 || yy >= h || xx < 0 || xx >= wd ? 0 : x[((e * ch + q) * h + yy) * wd + xx];
                                    int at = (q * r + u) * r + v;
                                    a[at] = Math.abs(in * w[o * patch + at]);
                                    s += a[at];
                                }
                        if (s == 0) continue;
                        for (int at = 0; at < patch; at++) fi[o * patch + at] += a[at] / s * b;
                    }
    }
}
