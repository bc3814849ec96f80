package org.archrepair.repair.baselines;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.nn.Module;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Network;
import org.archrepair.models.data.ImageDataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference passes the baselines share, in eval mode without a graph (the modes are restored):
 * logits of normalized images, per-example losses and predictions, and the inputs or globally
 * pooled outputs of named modules, through forward hooks.
 */
final class Forward {
    static final int CHUNK = 256;

    private Forward() {
    }

    /** Logits (n, classes) of normalized images (n, C, H, W), flat. */
    static float[] logits(Network net, Backend be, float[] images, int n, int[] chw) {
        Runnable modes = net.snapshotModes();
        net.eval();
        int per = chw[0] * chw[1] * chw[2];
        float[] out = null;
        try (var ignored = Autograd.noGrad()) {
            for (int from = 0; from < n; from += CHUNK) {
                int m = Math.min(CHUNK, n - from);
                float[] x = java.util.Arrays.copyOfRange(images, from * per, (from + m) * per);
                float[] l = net.forward(Tensor.of(be, x, m, chw[0], chw[1], chw[2])).toFloatArray();
                if (out == null) out = new float[n * (l.length / m)];
                System.arraycopy(l, 0, out, from * (l.length / m), l.length);
            }
        } finally {
            modes.run();
        }
        return out == null ? new float[0] : out;
    }

    /** Cross-entropy of each row of logits (n, classes) against labels, in double. */
    static double[] losses(float[] logits, int[] labels) {
        int n = labels.length, k = n == 0 ? 0 : logits.length / n;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = crossEntropy(logits, i * k, k, labels[i]);
        return out;
    }

    /** -log softmax(row)[label] of logits[from .. from + k). */
    static double crossEntropy(float[] logits, int from, int k, int label) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < k; j++) max = Math.max(max, logits[from + j]);
        for (int j = 0; j < k; j++) sum += Math.exp(logits[from + j] - max);
        return max + Math.log(sum) - logits[from + label];
    }

    static int[] predictions(float[] logits, int n) {
        int k = n == 0 ? 0 : logits.length / n;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = org.archrepair.repair.eval.Evaluator.argmax(logits, i * k, k);
        return out;
    }

    /** The dataset's images (in index order), normalized. */
    static float[] images(ImageDataset data, int[] indices, Pixels px) {
        float[] out = new float[indices.length * px.size()];
        byte[] img = new byte[px.size()];
        for (int i = 0; i < indices.length; i++) {
            data.copyImage(indices[i], img, 0);
            px.put(img, out, i * px.size());
        }
        return out;
    }

    static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    /** What a pass with hooks records: the logits and, per module path, its input or pooled output. */
    record Recorded(float[] logits, Map<String, float[]> values, Map<String, int[]> shapes) {
    }

    /**
     * Logits of the images and, for every path, the module's input (inputs = true: (n, ...) as it is)
     * or its output averaged over H and W ((n, C)).
     */
    static Recorded record(Network net, Backend be, float[] images, int n, int[] chw, List<String> paths, boolean inputs) {
        Map<String, List<float[]>> parts = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        List<Module.HookHandle> handles = new ArrayList<>();
        for (String p : paths) {
            parts.put(p, new ArrayList<>());
            handles.add(net.get(p).addForwardHook((m, x, y) -> {
                Tensor t = inputs ? x : y;
                float[] v = t.toFloatArray();
                int[] s = t.shape();
                if (!inputs && s.length == 4) {
                    v = pool(v, s);
                    s = new int[]{s[0], s[1]};
                }
                parts.get(p).add(v);
                shapes.put(p, s);
            }));
        }
        float[] logits;
        try {
            logits = logits(net, be, images, n, chw);
        } finally {
            handles.forEach(Module.HookHandle::remove);
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        parts.forEach((p, list) -> {
            int len = list.stream().mapToInt(a -> a.length).sum(), at = 0;
            float[] v = new float[len];
            for (float[] a : list) {
                System.arraycopy(a, 0, v, at, a.length);
                at += a.length;
            }
            values.put(p, v);
            int[] s = shapes.get(p).clone();
            s[0] = n;
            shapes.put(p, s);
        });
        return new Recorded(logits, values, shapes);
    }

    /** Mean over H x W: (n, C, H, W) to (n, C). */
    static float[] pool(float[] v, int[] s) {
        int n = s[0], c = s[1], hw = s[2] * s[3];
        float[] out = new float[n * c];
        for (int i = 0; i < n * c; i++) {
            double sum = 0;
            for (int j = 0; j < hw; j++) sum += v[i * hw + j];
            out[i] = (float) (sum / hw);
        }
        return out;
    }
}
