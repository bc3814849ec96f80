package org.archrepair.repair.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The discrete architecture of a repaired block: for each relaxed cell (by unit name), the
 * operation of every edge it keeps ('none' edges are listed too, so the genotype says what was
 * dropped). With the block's name, the level and the partial-channel factor it is everything
 * needed to rebuild the repaired network's structure (architecture.json).
 */
public record Genotype(String block, String level, int partial, List<CellGenotype> cells) {

    /** One edge's operation. */
    public record Choice(int from, int to, Primitive op) {
    }

    /** One cell: its unit name and choices. */
    public record CellGenotype(String cell, List<Choice> choices) {
        public Primitive op(int from, int to) {
            return choices.stream().filter(c -> c.from() == from && c.to() == to).map(Choice::op).findFirst()
                    .orElse(Primitive.NONE);
        }
    }

    public CellGenotype cell(String name) {
        return cells.stream().filter(c -> c.cell().equals(name)).findFirst().orElse(null);
    }

    /** How many edges differ from the raw block's (orig on chains, skip on shortcuts, none elsewhere). */
    public int changedEdges(List<CellSpec> specs) {
        int n = 0;
        for (CellSpec s : specs) {
            CellGenotype g = cell(s.name());
            if (g == null) continue;
            for (CellSpec.EdgeSpec e : s.edges()) if (g.op(e.from(), e.to()) != e.original()) n++;
        }
        return n;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "archrepair-architecture/1");
        m.put("block", block);
        m.put("level", level);
        m.put("partial_channels", partial);
        List<Object> cs = new ArrayList<>();
        for (CellGenotype c : cells) {
            List<Object> es = new ArrayList<>();
            for (Choice ch : c.choices()) es.add(List.of(ch.from(), ch.to(), ch.op().label()));
            cs.add(Map.of("cell", c.cell(), "edges", es));
        }
        m.put("cells", cs);
        return m;
    }

    /** The inverse of {@link #toJson} (a parsed JSON object); errors name the field at fault. */
    @SuppressWarnings("unchecked")
    public static Genotype fromJson(Map<String, Object> m) {
        if (!"archrepair-architecture/1".equals(m.get("format")))
            throw new IllegalArgumentException("not an archrepair architecture (format " + m.get("format") + ")");
        List<CellGenotype> cells = new ArrayList<>();
        for (Object o : (List<Object>) field(m, "cells")) {
            Map<String, Object> c = (Map<String, Object>) o;
            List<Choice> choices = new ArrayList<>();
            for (Object e : (List<Object>) field(c, "edges")) {
                List<Object> t = (List<Object>) e;
                if (t.size() != 3) throw new IllegalArgumentException("edge " + t + ": expected [from, to, op]");
                choices.add(new Choice(((Number) t.get(0)).intValue(), ((Number) t.get(1)).intValue(),
                        Primitive.ofLabel((String) t.get(2))));
            }
            cells.add(new CellGenotype((String) field(c, "cell"), choices));
        }
        return new Genotype((String) field(m, "block"), (String) field(m, "level"),
                ((Number) field(m, "partial_channels")).intValue(), cells);
    }

    private static Object field(Map<String, Object> m, String name) {
        Object v = m.get(name);
        if (v == null) throw new IllegalArgumentException("architecture: missing field '" + name + "'");
        return v;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(block + " (" + level + "):");
        for (CellGenotype c : cells) {
            b.append(' ').append(c.cell()).append(" [");
            List<String> parts = new ArrayList<>();
            for (Choice ch : c.choices()) parts.add(ch.from() + "->" + ch.to() + " " + ch.op().label());
            b.append(String.join(", ", parts)).append(']');
        }
        return b.toString();
    }
}
