package org.archrepair.repair.baselines;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.nn.Linear;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.Sequential;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Network;

import java.util.ArrayList;
import java.util.List;

/**
 * Logits of a network whose target layer has some weights replaced, for many candidate patches:
 * the hot loop of Arachne's search. The frozen prefix before the layer runs once per input set, its
 * result is cached, and only what follows runs per candidate:
 * <ul>
 *   <li>{@link Head}: the layer is the linear head that produces the logits, so the cached
 *       features times every candidate's weight matrix is one GEMM for the whole population,
 *       features (n, F) times (P x K, F)^T;</li>
 *   <li>{@link Replayed}: any other layer; the input of its nearest enclosing link of a
 *       {@link Sequential} chain is cached, and the network runs from there per candidate.</li>
 * </ul>
 * Both check once that the unpatched layer reproduces the network's logits.
 */
interface LayerPatch {
    /** Logits (n, K) of every candidate (values at the patch's indices), for input set s (0: search inputs, 1: validation). */
    float[][] logits(float[][] candidates, int s);

    /** The target weight's values with a candidate's values at the indices. */
    static float[] patched(float[] w0, int[] indices, float[] values) {
        float[] w = w0.clone();
        for (int i = 0; i < indices.length; i++) w[indices[i]] = values[i];
        return w;
    }

    /** Check the cheap path against the network: logits within 1e-4 of their scale. */
    static void check(float[] expected, float[] got, String layer) {
        double scale = 1e-6, diff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - got[i]));
        }
        if (diff > 1e-4 * scale)
            throw new IllegalStateException("Arachne: the cached evaluation of " + layer + " does not reproduce the "
                    + "network's logits (max difference " + diff + " at scale " + scale + "); choose another layer");
    }

    /** The head: logits = features W^T + b, all candidates in one GEMM. */
    final class Head implements LayerPatch {
        private final Backend be;
        private final float[] w0, bias;
        private final int[] indices;
        private final int in, out;
        private final List<float[]> features = new ArrayList<>();
        private final List<Integer> sizes = new ArrayList<>();

        Head(Network net, Backend be, String layer, int[] indices, List<float[]> imageSets, List<Integer> counts, int[] chw) {
            if (!(net.get(layer) instanceof Linear l)) throw new IllegalArgumentException(layer + " is not a linear layer");
            this.be = be;
            this.w0 = l.weight.toFloatArray();
            this.bias = l.bias == null ? new float[l.out] : l.bias.toFloatArray();
            this.indices = indices;
            this.in = l.in;
            this.out = l.out;
            for (int s = 0; s < imageSets.size(); s++) {
                Forward.Recorded r = Forward.record(net, be, imageSets.get(s), counts.get(s), chw, List.of(layer), true);
                float[] f = r.values().get(layer);
                features.add(f);
                sizes.add(counts.get(s));
                LayerPatch.check(r.logits(), logits(new float[][]{values(w0, indices)}, s)[0], layer);
            }
        }

        static float[] values(float[] w, int[] indices) {
            float[] v = new float[indices.length];
            for (int i = 0; i < v.length; i++) v[i] = w[indices[i]];
            return v;
        }

        @Override
        public float[][] logits(float[][] candidates, int s) {
            int p = candidates.length, n = sizes.get(s);
            float[] all = new float[p * out * in];
            for (int c = 0; c < p; c++) System.arraycopy(LayerPatch.patched(w0, indices, candidates[c]), 0, all, c * out * in, out * in);
            float[] y;
            try (var ignored = Autograd.noGrad()) {
                y = Ops.linear(Tensor.of(be, features.get(s), n, in), Tensor.of(be, all, p * out, in), null).toFloatArray();
            }
            float[][] res = new float[p][n * out];
            for (int i = 0; i < n; i++)
                for (int c = 0; c < p; c++)
                    for (int k = 0; k < out; k++) res[c][i * out + k] = y[i * p * out + c * out + k] + bias[k];
            return res;
        }
    }

    /** Any layer: the network from its nearest Sequential link on, per candidate, on cached inputs. */
    final class Replayed implements LayerPatch {
        private final Network net;
        private final Backend be;
        private final Tensor weight;
        private final float[] w0;
        private final int[] indices;
        private final String point;
        private final List<float[]> inputs = new ArrayList<>();
        private final List<int[]> shapes = new ArrayList<>();
        private final int[] chw;

        Replayed(Network net, Backend be, String layer, int[] indices, List<float[]> imageSets, List<Integer> counts, int[] chw) {
            this.net = net;
            this.be = be;
            this.weight = ArachneLocalizer.weightOf(net.get(layer));
            this.w0 = weight.toFloatArray();
            this.indices = indices;
            this.point = replayPoint(net, layer);
            this.chw = chw;
            for (int s = 0; s < imageSets.size(); s++) {
                Forward.Recorded r = Forward.record(net, be, imageSets.get(s), counts.get(s), chw, List.of(point), true);
                inputs.add(r.values().get(point));
                shapes.add(r.shapes().get(point));
                LayerPatch.check(r.logits(), logits(new float[][]{Head.values(w0, indices)}, s)[0], layer);
            }
        }

        /** The deepest module on the path to layer whose parent is a Sequential (its input is all that follows needs). */
        static String replayPoint(Network net, String layer) {
            String[] parts = layer.split("\\.");
            String best = null, path = "";
            Module parent = net;
            for (String part : parts) {
                path = path.isEmpty() ? part : path + "." + part;
                if (parent instanceof Sequential) best = path;
                parent = net.get(path);
            }
            if (best == null)
                throw new IllegalArgumentException("Arachne: " + layer + " is not inside a Sequential chain, so its input "
                        + "cannot be cached; choose a layer inside a stage");
            return best;
        }

        @Override
        public float[][] logits(float[][] candidates, int s) {
            String parentPath = point.contains(".") ? point.substring(0, point.lastIndexOf('.')) : "";
            String name = point.substring(point.lastIndexOf('.') + 1);
            Module parent = net.get(parentPath), original = net.get(point);
            Replay replay = new Replay(original);
            int[] shape = shapes.get(s);
            int n = shape[0], per = inputs.get(s).length / n;
            float[][] out = new float[candidates.length][];
            Runnable modes = net.snapshotModes();
            net.eval();
            parent.replaceChild(name, replay);
            try (var ignored = Autograd.noGrad()) {
                Tensor dummy = Tensor.zeros(be, 1, chw[0], chw[1], chw[2]);
                for (int c = 0; c < candidates.length; c++) {
                    weight.copyFrom(LayerPatch.patched(w0, indices, candidates[c]));
                    List<float[]> parts = new ArrayList<>();
                    for (int from = 0; from < n; from += Forward.CHUNK) {
                        int m = Math.min(Forward.CHUNK, n - from);
                        int[] cs = shape.clone();
                        cs[0] = m;
                        replay.cached = Tensor.of(be, java.util.Arrays.copyOfRange(inputs.get(s), from * per, (from + m) * per), cs);
                        parts.add(net.forward(dummy).toFloatArray());
                    }
                    out[c] = concat(parts);
                }
            } finally {
                weight.copyFrom(w0);
                parent.replaceChild(name, original);
                modes.run();
            }
            return out;
        }

        private static float[] concat(List<float[]> parts) {
            float[] all = new float[parts.stream().mapToInt(a -> a.length).sum()];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            return all;
        }

        /** Runs the wrapped module on the cached input, whatever the prefix handed it. */
        private static final class Replay extends Module {
            private final Module inner;
            Tensor cached;

            Replay(Module inner) {
                this.inner = inner;
            }

            @Override
            protected Tensor compute(Tensor ignored) {
                return inner.forward(cached);
            }
        }
    }
}
