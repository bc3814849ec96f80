package org.archrepair.repair.search;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.nn.BatchNorm2d;
import org.archrepair.engine.nn.Identity;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.Sequential;
import org.archrepair.models.CandidateBlock;
import org.archrepair.models.DenseNet;
import org.archrepair.models.Network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The localized block relaxed into cells of mixed edges (the paper's section 3.3, ALGORITHM.md
 * 6.2), put into the network in the block's place, and later discretized (6.5). At block level
 * every edge of every unit is relaxed; at layer level (the paper's Table 7 "Layer-lv") only the
 * edge that carries one given conv, the rest of its unit kept as it is.
 *
 * <p>The architecture parameters (alpha per mixed edge, beta per node with edge normalization)
 * live here, apart from the weights: {@link #architectureParameters} for the Adam of the
 * architect, the block's module parameters for the SGD of the weights.
 */
public final class SearchSpace {
    public enum Level {
        BLOCK, LAYER;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param partial   PC-DARTS partial channels K (1: plain DARTS mixed edges)
     * @param edgeNorm  PC-DARTS edge normalization (betas)
     * @param alphaInit the logit of the raw block's op on each edge (the others 0)
     */
    public record Config(Level level, int partial, boolean edgeNorm, double alphaInit) {
        public Config {
            if (partial != 1 && partial != 2 && partial != 4 && partial != 8)
                throw new IllegalArgumentException("--partial-channels must be 1, 2, 4 or 8, got " + partial);
        }
    }

    private final Network net;
    private final CandidateBlock block;
    private final Config config;
    private final String layer;
    private final List<CellSpec> specs;
    private final Map<String, Cell> cells = new LinkedHashMap<>();
    private Module replacement;

    private SearchSpace(Network net, CandidateBlock block, Config config, String layer, List<CellSpec> specs) {
        this.net = net;
        this.block = block;
        this.config = config;
        this.layer = layer;
        this.specs = specs;
    }

    /**
     * Relax block of net in place (net's forward pass runs the cells from now on). layer: the
     * conv path to relax at layer level, null at block level.
     */
    public static SearchSpace relax(Network net, CandidateBlock block, Config config, String layer, Init init) {
        if ((config.level() == Level.LAYER) != (layer != null))
            throw new IllegalArgumentException("a layer is given exactly at layer level");
        SearchSpace s = new SearchSpace(net, block, config, layer, CellSpec.of(net, block));
        if (layer != null && s.specs.stream().noneMatch(c -> c.edges().stream().anyMatch(e -> layer.equals(e.layer()))))
            throw new IllegalArgumentException("block " + block.name() + " has no relaxable layer " + layer);
        List<Module> units = new ArrayList<>();
        for (CellSpec spec : s.specs) {
            boolean relaxed = layer == null || spec.edges().stream().anyMatch(e -> layer.equals(e.layer()));
            if (!relaxed) {
                units.add(net.get(spec.name()));
                continue;
            }
            Cell cell = s.mixedCell(spec, init.fork("search/" + spec.name()));
            s.cells.put(spec.name(), cell);
            units.add(cell);
        }
        s.install(units);
        return s;
    }

    private Cell mixedCell(CellSpec spec, Init init) {
        List<Edge> edges = new ArrayList<>();
        for (CellSpec.EdgeSpec e : spec.edges()) {
            Init ei = init.fork(Edge.name(e.from(), e.to()));
            if (layer == null || layer.equals(e.layer()))
                edges.add(new MixedEdge(e.from(), e.to(), ei, adapter(spec, e, ei), e.orig(), spec.channels()[e.to()],
                        config.partial(), e.original(), config.alphaInit()));
            else if (e.original() != Primitive.NONE) edges.add(fixed(spec, e, e.original(), ei));
        }
        Tensor[] betas = null;
        if (config.edgeNorm() && layer == null) {
            betas = new Tensor[spec.nodes()];
            for (int j = 1; j < spec.nodes(); j++) {
                int in = 0;
                for (Edge e : edges) if (e.to == j) in++;
                betas[j] = Tensor.zeros(init.backend(), in).setRequiresGrad(true);
            }
        }
        return new Cell(spec.nodes(), edges, spec.nodeRelu(), spec.wiring(), betas);
    }

    /** The shortcut's inherited projection, or a fresh conv1x1+BN where the edge changes shape, or null. */
    private static Module adapter(CellSpec spec, CellSpec.EdgeSpec e, Init init) {
        if (e.original() == Primitive.SKIP) return e.projection();
        int i = e.from(), j = e.to();
        if (spec.channels()[i] == spec.channels()[j] && spec.strides()[i] == spec.strides()[j]) return null;
        return CandidateOps.adapter(init.fork("adapter"), spec.channels()[i], spec.channels()[j],
                spec.strides()[j] / spec.strides()[i]);
    }

    /** A fresh fixed edge of primitive p (ORIG: the inherited layer). */
    private FixedEdge fixed(CellSpec spec, CellSpec.EdgeSpec e, Primitive p, Init init) {
        if (p == Primitive.ORIG) return FixedEdge.orig(e.from(), e.to(), e.orig());
        int partial = p == Primitive.SKIP ? 1 : config.partial();
        Module op = p == Primitive.SKIP ? new Identity()
                : CandidateOps.op(p, init.fork(p.label()), spec.channels()[e.to()] / partial);
        return FixedEdge.generic(e.from(), e.to(), p, adapter(spec, e, init), op, partial);
    }

    private void install(List<Module> units) {
        replacement = net instanceof DenseNet ? units.getFirst() : new Sequential(units);
        net.replaceBlock(block, replacement);
    }

    public CandidateBlock block() {
        return block;
    }

    public Config config() {
        return config;
    }

    /** The module now in the block's place. */
    public Module module() {
        return replacement;
    }

    /**
     * The modules whose weights the repair trains (and whose batch norms use batch statistics): the
     * whole block at block level; at layer level only the edge that carries the layer, mixed while
     * searching and its chosen op after {@link #discretize} (none when the genotype dropped it), so
     * that "Layer-lv" repairs one layer as the weight-only layer level does.
     */
    public List<Module> trainable() {
        if (layer == null) return List.of(replacement);
        List<Module> out = new ArrayList<>();
        for (CellSpec spec : specs)
            for (CellSpec.EdgeSpec e : spec.edges())
                if (layer.equals(e.layer()) && currentUnit(spec) instanceof Cell cell)
                    cell.edges().stream().filter(x -> x.from == e.from() && x.to == e.to()).forEach(out::add);
        return out;
    }

    public List<CellSpec> specs() {
        return specs;
    }

    /** The relaxed cells by unit name. */
    public Map<String, Cell> cells() {
        return cells;
    }

    /** Every mixed edge, named "cell/eI_J". */
    public Map<String, MixedEdge> mixedEdges() {
        Map<String, MixedEdge> out = new LinkedHashMap<>();
        cells.forEach((name, cell) -> cell.edges().forEach(e -> {
            if (e instanceof MixedEdge m) out.put(name + "/" + Edge.name(e.from, e.to), m);
        }));
        return out;
    }

    /** Alphas then betas, in a fixed order (the architect's Adam and the checkpoint use it). */
    public Map<String, Tensor> architectureParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        mixedEdges().forEach((name, e) -> out.put("alpha/" + name, e.alpha()));
        cells.forEach((name, cell) -> {
            for (int j = 1; j < cell.nodes(); j++)
                if (cell.beta(j) != null) out.put("beta/" + name + "/" + j, cell.beta(j));
        });
        return out;
    }

    /** softmax(alpha) of every mixed edge, on the host. */
    public Map<String, float[]> edgeWeights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        mixedEdges().forEach((name, e) -> out.put(name, Ops.softmax(e.alpha().detach()).toFloatArray()));
        return out;
    }

    /** Mean entropy (nats) of the edges' op distributions: log 7 = 1.95 uniform, 0 decided. */
    public double meanEntropy() {
        double sum = 0;
        Map<String, float[]> w = edgeWeights();
        for (float[] p : w.values()) for (float v : p) if (v > 0) sum -= v * Math.log(v);
        return w.isEmpty() ? 0 : sum / w.size();
    }

    /**
     * The argmax op of every mixed edge ('none' allowed), with the guard of ALGORITHM.md 6.5: a node
     * left with no incoming edge keeps its strongest non-none op, by softmax(alpha) times the
     * edge's normalization weight. Every node then has an input, so every node is reachable from X^0.
     */
    public Genotype genotype() {
        List<Genotype.CellGenotype> out = new ArrayList<>();
        cells.forEach((name, cell) -> {
            Map<Edge, Primitive> choice = new LinkedHashMap<>();
            for (Edge e : cell.edges())
                choice.put(e, e instanceof MixedEdge m ? m.primitives().get(argmax(weights(m), 0)) : ((FixedEdge) e).primitive());
            for (int j = 1; j < cell.nodes(); j++) {
                List<Edge> in = cell.incoming(j);
                if (in.stream().anyMatch(e -> choice.get(e) != Primitive.NONE)) continue;
                float[] edgeWeight = cell.beta(j) == null ? null : Ops.softmax(cell.beta(j).detach()).toFloatArray();
                Edge best = null;
                int bestOp = -1;
                double bestScore = -1;
                for (int k = 0; k < in.size(); k++) {
                    MixedEdge m = (MixedEdge) in.get(k);
                    float[] w = weights(m);
                    int op = argmax(w, 1);                   // skip index 0, 'none'
                    double score = w[op] * (edgeWeight == null ? 1 : edgeWeight[k]);
                    if (score > bestScore) { best = m; bestOp = op; bestScore = score; }
                }
                choice.put(best, ((MixedEdge) best).primitives().get(bestOp));
            }
            List<Genotype.Choice> cs = new ArrayList<>();
            choice.forEach((e, p) -> cs.add(new Genotype.Choice(e.from, e.to, p)));
            out.add(new Genotype.CellGenotype(name, cs));
        });
        return new Genotype(block.name(), config.level().label(), config.partial(), out);
    }

    private static float[] weights(MixedEdge m) {
        return Ops.softmax(m.alpha().detach()).toFloatArray();
    }

    private static int argmax(float[] v, int from) {
        int best = from;
        for (int i = from + 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    /**
     * Replace the relaxed cells by cells of the genotype's fixed edges, keeping the trained weights
     * of the chosen ops, adapters and original layers; the search's affine-free batch norms become
     * affine with gamma 1 and beta 0 (the same function). Returns the new block module.
     */
    public Module discretize(Genotype g) {
        List<Module> units = new ArrayList<>();
        for (CellSpec spec : specs) {
            Cell cell = cells.get(spec.name());
            if (cell == null) {
                units.add(currentUnit(spec));
                continue;
            }
            Genotype.CellGenotype cg = g.cell(spec.name());
            List<Edge> edges = new ArrayList<>();
            for (Edge e : cell.edges()) {
                Primitive p = cg.op(e.from, e.to);
                if (p == Primitive.NONE) continue;
                edges.add(e instanceof MixedEdge m ? m.fix(p) : e);
            }
            units.add(affine(new Cell(spec.nodes(), edges, spec.nodeRelu(), spec.wiring(), null)));
        }
        cells.clear();
        install(units);
        return replacement;
    }

    private Module currentUnit(CellSpec spec) {
        return replacement instanceof Sequential s ? s.at(Integer.parseInt(spec.name().substring(spec.name().lastIndexOf('.') + 1)))
                : replacement;
    }

    /**
     * Build a genotype's discrete block into a freshly made network (the weights come after, from
     * the repaired model's file): the structure {@link #discretize} leaves, module for module.
     */
    public static Module rebuild(Network net, Genotype g, Init init) {
        CandidateBlock block = net.candidateBlock(g.block());
        Config config = new Config(Level.valueOf(g.level().toUpperCase(java.util.Locale.ROOT)), g.partial(), false, 0);
        SearchSpace s = new SearchSpace(net, block, config, null, CellSpec.of(net, block));
        List<Module> units = new ArrayList<>();
        for (CellSpec spec : s.specs) {
            Genotype.CellGenotype cg = g.cell(spec.name());
            if (cg == null) {
                units.add(net.get(spec.name()));
                continue;
            }
            Init ci = init.fork("search/" + spec.name());
            List<Edge> edges = new ArrayList<>();
            for (CellSpec.EdgeSpec e : spec.edges()) {
                Primitive p = cg.op(e.from(), e.to());
                if (p != Primitive.NONE) edges.add(s.fixed(spec, e, p, ci.fork(Edge.name(e.from(), e.to()))));
            }
            units.add(affine(new Cell(spec.nodes(), edges, spec.nodeRelu(), spec.wiring(), null)));
        }
        s.install(units);
        return s.replacement;
    }

    /** Every affine-free batch norm inside m becomes affine (gamma 1, beta 0), running statistics kept. */
    static Module affine(Module m) {
        Init init = new Init(m.stateDict().values().iterator().next().backend(), new org.archrepair.engine.Rng(0));
        for (Module parent : m.namedModules().values())
            for (var child : Map.copyOf(parent.children()).entrySet())
                if (child.getValue() instanceof BatchNorm2d bn && bn.weight == null) {
                    BatchNorm2d a = new BatchNorm2d(init, bn.channels, true);
                    a.runningMean.copyFrom(bn.runningMean);
                    a.runningVar.copyFrom(bn.runningVar);
                    parent.replaceChild(child.getKey(), a);
                }
        return m;
    }
}
