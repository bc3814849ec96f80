package org.archrepair.repair.method;

import org.archrepair.engine.Rng;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.Module;
import org.archrepair.models.CandidateBlock;
import org.archrepair.repair.report.Reports;
import org.archrepair.repair.search.Genotype;
import org.archrepair.repair.search.SearchSpace;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * ArchRepair (the paper's section 3.4): relax the localized block (or, at layer level, its most
 * suspicious layer) into the search space with the inherited weights, search architecture and
 * weights by alternating steps, discretize every edge to its strongest op, fine-tune the block with
 * early stopping and keep the best.
 */
public final class ArchRepairMethod implements RepairMethod {
    private final SearchSpace.Config space;
    private final String block;           // null: the localization's choice
    private final boolean unrolled;

    public ArchRepairMethod(SearchSpace.Config space, String block, boolean unrolled) {
        this.space = space;
        this.block = block;
        this.unrolled = unrolled;
    }

    @Override
    public String name() {
        return "archrepair";
    }

    @Override
    public Target target(RepairContext ctx) {
        if (space.level() == SearchSpace.Level.LAYER) {
            Target t = Target.layer(ctx.localization(), block);
            return new Target("archrepair-layer", t.block(), t.layer(), -1);
        }
        return new Target("archrepair-block", block != null ? block : ctx.localization().chosen(), null, -1);
    }

    @Override
    public Outcome repair(RepairContext ctx) throws IOException {
        Target t = target(ctx);
        CandidateBlock cb = ctx.net().candidateBlock(t.block());
        SearchSpace s = SearchSpace.relax(ctx.net(), cb, space, t.layer(),
                new Init(ctx.backend(), new Rng(ctx.seed()).fork("search-space")));
        RunCheckpoint.Saved saved = ctx.resume() ? RunCheckpoint.read(ctx.dir(), ctx.fingerprint()) : null;
        long t0 = System.nanoTime();
        Search.Result searched;
        Genotype g;
        if (saved == null || Search.PHASE.equals(saved.phase())) {
            searched = Search.run(ctx, s, unrolled, saved, Map.of());
            g = s.genotype();
        } else {                                   // the search is done: its results are in the checkpoint
            g = Genotype.fromJson(Reports.readObject(saved.meta().getOrDefault("genotype", ""), RunCheckpoint.FILE + " genotype"));
            searched = new Search.Result(saved.history().stream().filter(h -> h.phase().equals(Search.PHASE)).toList(),
                    Search.readAlphas(saved.meta().getOrDefault("alpha_history", "[]")));
        }
        double searchSeconds = (System.nanoTime() - t0) / 1e9;
        s.discretize(g);
        long t1 = System.nanoTime();
        List<Module> trainable = s.trainable();
        FineTune.Result tuned = FineTune.run(ctx, new FineTune.Trainable(
                        trainable.stream().flatMap(m -> m.parameters().stream()).toList(), trainable, null),
                ctx.budget().fineTuneEpochs(), saved, Map.of("genotype", Reports.json(g.toJson()),
                        "alpha_history", Reports.json(searched.alphaHistory())), searched.history());
        return new Outcome(name(), t.toString(), g, tuned.history(), searched.alphaHistory(), searchSeconds,
                (System.nanoTime() - t1) / 1e9, tuned.stoppedEarly());
    }
}
