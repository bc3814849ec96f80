package org.archrepair.repair.report;

import org.archrepair.repair.search.Genotype;
import org.archrepair.repair.search.Primitive;

import java.util.List;
import java.util.Locale;

/**
 * The repaired block as a graph: Graphviz DOT (one cluster per cell) and an SVG drawn here (nodes
 * X^0..X^K on a line, every kept edge an arc labelled with its op; edges that differ from the raw
 * block in red), so no Graphviz is needed to look at it.
 */
public final class GenotypeGraph {
    private GenotypeGraph() {
    }

    public static String dot(Genotype g) {
        StringBuilder b = new StringBuilder("digraph genotype {\n  rankdir=LR;\n  label=\"" + g.block() + " ("
                + g.level() + (g.partial() > 1 ? ", partial channels 1/" + g.partial() : "") + ")\";\n");
        int c = 0;
        for (Genotype.CellGenotype cell : g.cells()) {
            b.append("  subgraph cluster_").append(c).append(" {\n    label=\"").append(cell.cell()).append("\";\n");
            int nodes = nodes(cell);
            for (int j = 0; j < nodes; j++) b.append("    c").append(c).append('_').append(j).append(" [label=\"X").append(j).append("\"];\n");
            for (Genotype.Choice ch : cell.choices())
                if (ch.op() != Primitive.NONE)
                    b.append("    c").append(c).append('_').append(ch.from()).append(" -> c").append(c).append('_')
                            .append(ch.to()).append(" [label=\"").append(ch.op().label()).append("\"];\n");
            b.append("  }\n");
            c++;
        }
        return b.append("}\n").toString();
    }

    /** changed(cell, from, to): whether that edge differs from the raw block (drawn red). */
    public static String svg(Genotype g, Changed changed) {
        int rowH = 170, nodeGap = 170, left = 40, top = 50;
        int maxNodes = g.cells().stream().mapToInt(GenotypeGraph::nodes).max().orElse(2);
        int w = left * 2 + nodeGap * (maxNodes - 1) + 40, h = top + rowH * g.cells().size();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n"
                        + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                        + "<text x=\"%d\" y=\"24\" font-size=\"15\">%s (%s)</text>%n", w, h, left, esc(g.block()), g.level()));
        for (int r = 0; r < g.cells().size(); r++) {
            Genotype.CellGenotype cell = g.cells().get(r);
            int y = top + rowH * r + rowH - 40;
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">%s</text>%n", left, y - 105, esc(cell.cell())));
            List<Genotype.Choice> kept = cell.choices().stream().filter(ch -> ch.op() != Primitive.NONE).toList();
            for (Genotype.Choice ch : kept) {
                int x1 = left + 20 + nodeGap * ch.from(), x2 = left + 20 + nodeGap * ch.to(), span = ch.to() - ch.from();
                int lift = 28 * span;
                String color = changed.test(cell.cell(), ch.from(), ch.to()) ? "#c62828" : "#1565c0";
                b.append(String.format(Locale.ROOT, "<path d=\"M %d %d Q %d %d %d %d\" stroke=\"%s\" fill=\"none\" stroke-width=\"2\"/>%n",
                        x1, y - 12, (x1 + x2) / 2, y - 12 - 2 * lift, x2, y - 12, color));
                b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>%n",
                        (x1 + x2) / 2, y - 14 - lift, color, ch.op().label()));
            }
            for (int j = 0; j < nodes(cell); j++) {
                int x = left + 20 + nodeGap * j;
                b.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"12\" fill=\"#eeeeee\" stroke=\"#333\"/>%n"
                        + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">X%d</text>%n", x, y, x, y + 4, j));
            }
        }
        return b.append("</svg>\n").toString();
    }

    @FunctionalInterface
    public interface Changed {
        boolean test(String cell, int from, int to);
    }

    private static int nodes(Genotype.CellGenotype cell) {
        return cell.choices().stream().mapToInt(Genotype.Choice::to).max().orElse(1) + 1;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
