package org.archrepair.repair.method;

import org.archrepair.repair.search.Genotype;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a repair did: the method and what it targeted, the genotype (ArchRepair) or null, the
 * per-epoch history, the edges' op weights per search epoch (for the alpha plot) or an empty list,
 * and the time of each phase.
 */
public record Outcome(String method, String target, Genotype genotype, List<EpochLog> history,
                      List<Map<String, float[]>> alphaHistory, double searchSeconds, double fineTuneSeconds,
                      boolean stoppedEarly) {

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("target", target);
        if (genotype != null) m.put("genotype", genotype.toJson());
        m.put("search_seconds", searchSeconds);
        m.put("finetune_seconds", fineTuneSeconds);
        m.put("stopped_early", stoppedEarly);
        m.put("history", history.stream().map(EpochLog::toJson).toList());
        return m;
    }
}
