package org.archrepair.repair.baselines;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.optim.Adam;

import java.util.Map;

/**
 * A module's parameters (not its batch-norm statistics) as one flat vector in parameter-name order,
 * the way Apricot's reduced models are averaged, and an Adam optimizer's moments by parameter name
 * for checkpoints.
 */
final class Params {
    private Params() {
    }

    static float[] flatten(Module m) {
        long total = m.parameterCount();
        float[] out = new float[Math.toIntExact(total)];
        int at = 0;
        for (Tensor p : m.parameters()) {
            float[] v = p.toFloatArray();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    static void write(Module m, float[] flat) {
        if (flat.length != m.parameterCount())
            throw new IllegalArgumentException(flat.length + " values for " + m.parameterCount() + " parameters");
        int at = 0;
        for (Tensor p : m.parameters()) {
            int n = (int) p.numel();
            p.copyFrom(java.util.Arrays.copyOfRange(flat, at, at + n));
            at += n;
        }
    }

    /** Adam's moments ("adam/m/NAME", "adam/v/NAME") and steps ("adam_step/NAME") of m's parameters. */
    static void saveAdam(Module m, Adam adam, Map<String, HostArray> tensors, Map<String, String> meta) {
        m.namedParameters().forEach((k, p) -> {
            Adam.Moments mo = adam.moments(p);
            if (mo == null) return;
            tensors.put("adam/m/" + k, new HostArray(p.shape(), mo.m()));
            tensors.put("adam/v/" + k, new HostArray(p.shape(), mo.v()));
            meta.put("adam_step/" + k, Integer.toString(mo.step()));
        });
    }

    static void restoreAdam(Module m, Adam adam, BaselineCheckpoint.Saved saved) {
        Map<String, HostArray> ms = saved.prefixed("adam/m/"), vs = saved.prefixed("adam/v/");
        m.namedParameters().forEach((k, p) -> {
            if (!ms.containsKey(k)) return;
            adam.setMoments(p, new Adam.Moments(ms.get(k).data(), saved.tensor("adam/v/" + k).data(),
                    saved.count("adam_step/" + k)));
        });
        if (!ms.keySet().equals(vs.keySet()))
            throw new IllegalArgumentException(BaselineCheckpoint.FILE + ": Adam moments m and v name different parameters");
    }
}
