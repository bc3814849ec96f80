package org.archrepair.repair.search;

import java.util.List;
import java.util.Locale;

/**
 * The candidate operations of an edge (the paper's Table 3, ALGORITHM.md sections 6.2 and 7), in
 * the order of an edge's architecture logits. ORIG is our seventh: the inherited original layer
 * with its pretrained weights, present only on an edge that carries one.
 */
public enum Primitive {
    /** Zero: the edge is absent. */
    NONE("none"),
    /** Identity. */
    SKIP("skip_connect"),
    /** 3x3 average pooling (count_include_pad = false), then batch norm without affine. */
    AVG_POOL("avg_pool_3x3"),
    /** 3x3 max pooling, then batch norm without affine. */
    MAX_POOL("max_pool_3x3"),
    /** Twice: ReLU, depthwise 3x3, pointwise 1x1, batch norm (DARTS' sep_conv_3x3). */
    SEP_CONV("sep_conv_3x3"),
    /** ReLU, depthwise 3x3 with dilation 2, pointwise 1x1, batch norm (DARTS' dil_conv_3x3). */
    DIL_CONV("dil_conv_3x3"),
    /** The original layer (conv + BN, or DenseNet's BN-ReLU-conv) with its inherited weights. */
    ORIG("orig");

    /** The six of the paper, in logit order. */
    public static final List<Primitive> GENERIC = List.of(NONE, SKIP, AVG_POOL, MAX_POOL, SEP_CONV, DIL_CONV);

    private final String label;

    Primitive(String label) {
        this.label = label;
    }

    /** The DARTS name ("sep_conv_3x3"), used in genotypes, reports and module names. */
    public String label() {
        return label;
    }

    /** Whether the op has weights or batch norm of its own (a fresh initialization, not inherited). */
    public boolean parametric() {
        return this == AVG_POOL || this == MAX_POOL || this == SEP_CONV || this == DIL_CONV;
    }

    public static Primitive ofLabel(String label) {
        for (Primitive p : values()) if (p.label.equals(label.toLowerCase(Locale.ROOT))) return p;
        throw new IllegalArgumentException("unknown operation '" + label + "'; known: none, skip_connect, avg_pool_3x3, "
                + "max_pool_3x3, sep_conv_3x3, dil_conv_3x3, orig");
    }
}
