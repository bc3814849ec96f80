package org.archrepair.models.checkpoint;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Python tuple as the {@link Unpickler} builds it: immutable, with what a hostile pickle could
 * otherwise abuse computed once, at construction, from its items. Its nesting depth and the
 * number of values it expands to (shared memo references counted every time they occur) are
 * bounded ({@link #MAX_DEPTH}, {@link #MAX_EXPANDED}), so that 60 levels of a memo entry used
 * twice per level are an error at the 21st, not 2^60 calls later. A tuple made only of scalars and
 * such tuples is hashable (as in Python) and compares by value, with a cached hash; any other
 * compares by identity and cannot be a dict key.
 *
 * <p>What it is not: a general immutable list. toString never prints the items.
 */
final class Tuple {
    static final int MAX_DEPTH = 100;
    static final long MAX_EXPANDED = 1 << 20;
    static final Tuple EMPTY = new Tuple(List.of());

    private final List<Object> items;
    private final int depth;
    private final long expanded;
    private final boolean hashable;
    private final int hash;

    /** items: may hold null for None; an IllegalArgumentException if too deep or too large. */
    Tuple(List<Object> items) {
        this.items = Collections.unmodifiableList(new ArrayList<>(items));
        int d = 0;
        long n = 1;
        boolean h = true;
        int code = 1;
        for (Object o : items) {
            if (o instanceof Tuple t) {
                d = Math.max(d, t.depth);
                n += t.expanded;
                h &= t.hashable;
            } else {
                n++;
                h &= isScalar(o);
            }
            if (n > MAX_EXPANDED)
                throw new IllegalArgumentException("tuple expands to more than " + MAX_EXPANDED
                        + " values through repeated memo references");
            // Only hashables are hashed (a scalar, or a tuple's cached hash): a list may contain itself.
            if (h) code = 31 * code + (o == null ? 0 : o.hashCode());
        }
        if (d + 1 > MAX_DEPTH) throw new IllegalArgumentException("tuples nested deeper than " + MAX_DEPTH);
        this.depth = d + 1;
        this.expanded = n;
        this.hashable = h;
        this.hash = h ? code : System.identityHashCode(this);
    }

    /** None, bool, int, float, str: what Python hashes by value (bytes are not supported as keys). */
    static boolean isScalar(Object o) {
        return o == null || o instanceof Boolean || o instanceof Long || o instanceof BigInteger || o instanceof Double
                || o instanceof String;
    }

    /** A scalar or a tuple of hashables: what may be a dict key or a set member. */
    static boolean isHashable(Object o) {
        return isScalar(o) || o instanceof Tuple t && t.hashable;
    }

    int size() {
        return items.size();
    }

    Object get(int i) {
        return items.get(i);
    }

    List<Object> items() {
        return items;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        // Recursion only into hashable tuples: at most MAX_EXPANDED values, MAX_DEPTH deep.
        return o instanceof Tuple t && hashable && t.hashable && hash == t.hash && items.equals(t.items);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "tuple of " + items.size() + " items";
    }
}
