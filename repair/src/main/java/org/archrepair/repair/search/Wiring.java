package org.archrepair.repair.search;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;

import java.util.List;

/**
 * How a cell meets the network around it (ALGORITHM.md 6.2): what an original layer reads and
 * what the cell outputs.
 */
public enum Wiring {
    /** A residual unit: every original layer reads X^(j-1); the output is X^K. */
    RESIDUAL {
        @Override
        Tensor origInput(List<Tensor> nodes, Edge e) {
            return nodes.get(e.from);
        }

        @Override
        Tensor output(List<Tensor> nodes) {
            return nodes.getLast();
        }
    },
    /**
     * A DenseNet pair of bottleneck layers: nodes X0 (input), X1 (1x1 of layer a), X2 (its new
     * features), X3 (1x1 of layer b), X4 (b's new features). Layer b's 1x1 reads cat(X2, X0), as
     * the dense concatenation gives it; the output is cat(X4, X2, X0), the interface later layers expect.
     */
    DENSE_PAIR {
        @Override
        Tensor origInput(List<Tensor> nodes, Edge e) {
            return e.to == 3 ? Ops.concatChannels(List.of(nodes.get(2), nodes.get(0))) : nodes.get(e.from);
        }

        @Override
        Tensor output(List<Tensor> nodes) {
            return Ops.concatChannels(List.of(nodes.get(4), nodes.get(2), nodes.get(0)));
        }
    };

    abstract Tensor origInput(List<Tensor> nodes, Edge e);

    abstract Tensor output(List<Tensor> nodes);
}
