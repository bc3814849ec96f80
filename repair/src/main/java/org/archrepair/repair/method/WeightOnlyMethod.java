package org.archrepair.repair.method;

import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.Conv2d;
import org.archrepair.engine.nn.Module;
import org.archrepair.models.CandidateBlock;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Weight-only repair at one of the paper's Table 1 levels: fine-tune the filter of the most
 * suspicious neuron, the weights of the most suspicious conv layer (batch norms frozen, in eval
 * mode), the whole localized block (its batch norms train), or the whole network, with the same
 * data, epochs (ArchRepair's search plus fine-tuning) and early stopping as ArchRepair.
 */
public final class WeightOnlyMethod implements RepairMethod {
    public enum Level { NEURON, LAYER, BLOCK, NETWORK }

    private final Level level;
    private final String block;           // --block for the block level; null: the localization's choice

    public WeightOnlyMethod(Level level, String block) {
        if (block != null && level != Level.BLOCK)
            throw new IllegalArgumentException("--block applies to archrepair and the block level, not " + level);
        this.level = level;
        this.block = block;
    }

    @Override
    public String name() {
        return level.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Target target(RepairContext ctx) {
        return switch (level) {
            case NEURON -> Target.neuron(ctx.localization());
            case LAYER -> Target.layer(ctx.localization());
            case BLOCK -> block != null ? new Target("block", block, null, -1) : Target.block(ctx.localization());
            case NETWORK -> Target.network();
        };
    }

    @Override
    public Outcome repair(RepairContext ctx) throws IOException {
        Target t = target(ctx);
        FineTune.Trainable what = switch (level) {
            case NEURON -> {
                Tensor w = conv(ctx, t.layer()).weight;
                yield new FineTune.Trainable(List.of(w), List.of(), new FineTune.ChannelMask(w, t.channel()));
            }
            case LAYER -> new FineTune.Trainable(List.of(conv(ctx, t.layer()).weight), List.of(), null);
            case BLOCK -> {
                CandidateBlock b = ctx.net().candidateBlock(t.block());
                List<Module> units = b.units().stream().map(ctx.net()::get).toList();
                List<Tensor> params = new ArrayList<>();
                units.forEach(u -> params.addAll(u.parameters()));
                yield new FineTune.Trainable(params, units, null);
            }
            case NETWORK -> new FineTune.Trainable(ctx.net().parameters(), List.of(ctx.net()), null);
        };
        RunCheckpoint.Saved saved = ctx.resume() ? RunCheckpoint.read(ctx.dir(), ctx.fingerprint()) : null;
        long t0 = System.nanoTime();
        FineTune.Result r = FineTune.run(ctx, what, ctx.budget().totalEpochs(), saved, Map.of(), List.of());
        return new Outcome(name(), t.toString(), null, r.history(), List.of(), 0, (System.nanoTime() - t0) / 1e9,
                r.stoppedEarly());
    }

    private static Conv2d conv(RepairContext ctx, String path) {
        if (!(ctx.net().get(path) instanceof Conv2d c)) throw new IllegalStateException(path + " is not a conv");
        return c;
    }
}
