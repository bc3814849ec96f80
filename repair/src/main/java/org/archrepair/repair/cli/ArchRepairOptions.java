package org.archrepair.repair.cli;

import org.archrepair.repair.search.SearchSpace;
import picocli.CommandLine.Option;

import java.util.Map;

/** ArchRepair's own options (repair and compare): level, block, PC-DARTS' partial channels and edge normalization. */
public final class ArchRepairOptions {
    @Option(names = "--level", defaultValue = "block", paramLabel = "LEVEL",
            description = "archrepair: relax the block (default) or only its most suspicious layer (the paper's Layer-lv).")
    String level;
    @Option(names = "--block", paramLabel = "NAME", description = "Repair this candidate block instead of the localized one.")
    String block;
    @Option(names = "--partial-channels", defaultValue = "1", paramLabel = "K",
            description = "PC-DARTS partial channels: generic ops see 1/K of the channels (1, 2, 4, 8). Default: ${DEFAULT-VALUE}.")
    int partial;
    @Option(names = "--edge-norm", description = "PC-DARTS edge normalization (a weight per incoming edge of a node).")
    boolean edgeNorm;
    @Option(names = "--alpha-init", defaultValue = "4", paramLabel = "A",
            description = "Initial logit of the raw block's op on every edge (others 0). Default: ${DEFAULT-VALUE}.")
    double alphaInit;
    @Option(names = "--unrolled", description = "Second-order architecture gradient (DARTS unrolled).")
    boolean unrolled;

    SearchSpace.Config space() {
        return new SearchSpace.Config(switch (level) {
            case "block" -> SearchSpace.Level.BLOCK;
            case "layer" -> SearchSpace.Level.LAYER;
            default -> throw new IllegalArgumentException("--level " + level + ": expected block or layer");
        }, partial, edgeNorm, alphaInit);
    }

    /** The settings a report records, in the order the repair command always wrote them. */
    void putJson(Map<String, Object> run) {
        run.put("level", level);
        run.put("block", block);
        run.put("partial_channels", partial);
        run.put("edge_norm", edgeNorm);
        run.put("alpha_init", alphaInit);
        run.put("unrolled", unrolled);
    }
}
