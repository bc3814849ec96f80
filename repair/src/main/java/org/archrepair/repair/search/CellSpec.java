package org.archrepair.repair.search;

import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.ReLU;
import org.archrepair.engine.nn.Sequential;
import org.archrepair.models.CandidateBlock;
import org.archrepair.models.DenseNet;
import org.archrepair.models.Network;
import org.archrepair.models.ResNet;
import org.archrepair.models.ResNetCifar;

import java.util.ArrayList;
import java.util.List;

/**
 * What a cell is made from (ALGORITHM.md 6.2): a residual unit (BasicBlock: 3 nodes; Bottleneck:
 * 4) or a DenseNet pair (5 nodes), with every forward edge (i, j). Node j has channels[j] and
 * resolution 1/strides[j] of X^0's. An edge that the raw unit has carries its original layer
 * (ORIG, the inherited modules) or is the shortcut (0, K) (SKIP over the inherited projection P,
 * identity or conv1x1+BN or option A); every other edge is NONE in the raw unit.
 *
 * @param name  the unit's module path ("layer3.0") or the pair block's name ("dense2.4-5")
 */
public record CellSpec(String name, int[] channels, int[] strides, List<EdgeSpec> edges, boolean nodeRelu,
                       Wiring wiring) {

    /**
     * One edge: its original primitive, the inherited layer (ORIG) or projection (SKIP on the
     * shortcut; null for an identity shortcut), and the path of the conv it carries (for the
     * layer-level variant; null where none).
     */
    public record EdgeSpec(int from, int to, Primitive original, Module orig, Module projection, String layer) {
    }

    public int nodes() {
        return channels.length;
    }

    public EdgeSpec edge(int from, int to) {
        return edges.stream().filter(e -> e.from() == from && e.to() == to).findFirst().orElseThrow();
    }

    /** The cells of a candidate block: one per residual unit of a stage, one for a DenseNet pair. */
    public static List<CellSpec> of(Network net, CandidateBlock block) {
        List<CellSpec> out = new ArrayList<>();
        if (net instanceof DenseNet) {
            if (block.units().size() != 2) throw new IllegalArgumentException(block.name() + " is not a pair block");
            out.add(densePair(block.name(), block.units().get(0), (DenseNet.Bottleneck) net.get(block.units().get(0)),
                    block.units().get(1), (DenseNet.Bottleneck) net.get(block.units().get(1))));
            return out;
        }
        for (String unit : block.units()) {
            Module m = net.get(unit);
            out.add(switch (m) {
                case ResNetCifar.BasicBlock b -> basic(unit, b.conv1.in, b.conv1.out, b.stride,
                        new Sequential(b.conv1, b.bn1), new Sequential(b.conv2, b.bn2),
                        b.padChannels == 0 ? null : new OptionAShortcut(b.stride, b.padChannels), null);
                case ResNet.BasicBlock b -> basic(unit, b.conv1.in, b.conv1.out, b.conv1.stride,
                        new Sequential(b.conv1, b.bn1), new Sequential(b.conv2, b.bn2), projection(b.shortcut),
                        projection(b.shortcut) == null ? null : unit + ".shortcut.0");
                case ResNet.Bottleneck b -> bottleneck(unit, b);
                default -> throw new IllegalArgumentException(unit + " (" + m + ") is not a unit the search space knows");
            });
        }
        return out;
    }

    private static Module projection(Module shortcut) {
        return shortcut instanceof Sequential s && s.size() == 0 ? null : shortcut;
    }

    /** X0 (in) -> X1 (out, stride s) -> X2 (out, stride s); shortcut (0, 2). */
    private static CellSpec basic(String unit, int in, int out, int stride, Module orig1, Module orig2, Module proj,
                                  String projLayer) {
        return new CellSpec(unit, new int[]{in, out, out}, new int[]{1, stride, stride}, List.of(
                new EdgeSpec(0, 1, Primitive.ORIG, orig1, null, unit + ".conv1"),
                new EdgeSpec(0, 2, Primitive.SKIP, null, proj, projLayer),
                new EdgeSpec(1, 2, Primitive.ORIG, orig2, null, unit + ".conv2")), true, Wiring.RESIDUAL);
    }

    /** X0 (in) -> X1 (p) -> X2 (p, stride s) -> X3 (4p, stride s); shortcut (0, 3). */
    private static CellSpec bottleneck(String unit, ResNet.Bottleneck b) {
        int in = b.conv1.in, p = b.conv1.out, s = b.conv2.stride;
        Module proj = projection(b.shortcut);
        return new CellSpec(unit, new int[]{in, p, p, 4 * p}, new int[]{1, 1, s, s}, List.of(
                new EdgeSpec(0, 1, Primitive.ORIG, new Sequential(b.conv1, b.bn1), null, unit + ".conv1"),
                new EdgeSpec(0, 2, Primitive.NONE, null, null, null),
                new EdgeSpec(0, 3, Primitive.SKIP, null, proj, proj == null ? null : unit + ".shortcut.0"),
                new EdgeSpec(1, 2, Primitive.ORIG, new Sequential(b.conv2, b.bn2), null, unit + ".conv2"),
                new EdgeSpec(1, 3, Primitive.NONE, null, null, null),
                new EdgeSpec(2, 3, Primitive.ORIG, new Sequential(b.conv3, b.bn3), null, unit + ".conv3")), true,
                Wiring.RESIDUAL);
    }

    /** X0 (c) -> X1 (4g) -> X2 (g) -> X3 (4g, reads cat(X2, X0)) -> X4 (g); output cat(X4, X2, X0). */
    private static CellSpec densePair(String name, String ua, DenseNet.Bottleneck a, String ub, DenseNet.Bottleneck b) {
        int c = a.conv1.in, wide = a.conv1.out, g = a.conv2.out;
        List<EdgeSpec> edges = new ArrayList<>();
        for (int j = 1; j <= 4; j++)
            for (int i = 0; i < j; i++) {
                Module orig = i != j - 1 ? null : switch (j) {
                    case 1 -> new Sequential(a.bn1, new ReLU(), a.conv1);
                    case 2 -> new Sequential(a.bn2, new ReLU(), a.conv2);
                    case 3 -> new Sequential(b.bn1, new ReLU(), b.conv1);
                    default -> new Sequential(b.bn2, new ReLU(), b.conv2);
                };
                String layer = orig == null ? null : (j <= 2 ? ua : ub) + (j % 2 == 1 ? ".conv1" : ".conv2");
                edges.add(new EdgeSpec(i, j, orig == null ? Primitive.NONE : Primitive.ORIG, orig, null, layer));
            }
        return new CellSpec(name, new int[]{c, wide, g, wide, g}, new int[]{1, 1, 1, 1, 1}, edges, false,
                Wiring.DENSE_PAIR);
    }
}
