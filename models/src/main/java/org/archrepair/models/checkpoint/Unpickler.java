package org.archrepair.models.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A restricted interpreter for Python pickles (protocol 2, plus the protocol 3/4 opcodes torch may
 * emit: FRAME, MEMOIZE, SHORT_BINUNICODE, BINUNICODE8, STACK_GLOBAL, binary bytes). Python values
 * become Java ones: int -> Long (BigInteger when larger), float -> Double, str -> String, bytes ->
 * byte[], None -> null, bool -> Boolean, tuple -> {@link Tuple}, list -> ArrayList, dict ->
 * LinkedHashMap (insertion ordered, as in Python), set -> LinkedHashSet.
 *
 * <p>It never creates a Python object by name: GLOBAL and STACK_GLOBAL ask the {@link Resolver}
 * (an allowlist) and REDUCE/BUILD/BINPERSID can only reach what it returned. Opcodes that build
 * arbitrary instances (INST, OBJ, NEWOBJ, EXT*) and text protocol-0 forms are rejected. Every
 * error is a {@link CheckpointException} naming the file, the zip entry and the byte offset of the
 * opcode at fault.
 *
 * <p>Bounded by construction, for hostile input: every declared length is checked against the bytes
 * left before anything is allocated; each opcode adds at most one object, so memory follows the
 * input's length; MARKs nest at most {@link #MAX_MARKS} deep and the memo holds at most
 * {@link #MAX_MEMO} entries; tuples bound their own depth and expansion ({@link Tuple}); only
 * hashable values (scalars, tuples of them) become dict keys or set members, so nothing ever hashes
 * a list or a dict, which may contain itself. Lists, dicts and sets are never walked recursively
 * (not even by error messages, which describe a value by its type and size), so their nesting
 * depth and cycles cannot reach a stack.
 */
final class Unpickler {
    /** The allowlist: what a global, a call, BUILD and a persistent id may produce. */
    interface Resolver {
        /** The object for module.name; throws IllegalArgumentException (with the reason) if forbidden. */
        Object global(String module, String name);

        /** callable(args), for a callable this resolver returned. */
        Object call(Object callable, Tuple args);

        /** Apply BUILD state to obj, or throw IllegalArgumentException. */
        void build(Object obj, Object state);

        /** The object a BINPERSID id stands for. */
        Object persistentLoad(Object pid);
    }

    static final int MAX_MARKS = 256;
    static final int MAX_MEMO = 1 << 22;
    /** A Python int of more bytes than this is not something a checkpoint holds. */
    static final int MAX_LONG_BYTES = 1024;

    private final InputStream in;
    private final Path file;
    private final String entry;      // the zip entry holding the pickle, or null
    private final Resolver resolver;
    private final long limit;        // absolute offset where the input ends
    private long pos;                // absolute offset of the next byte
    private long opAt;               // absolute offset of the opcode being run
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    /**
     * in holds the pickle(s) of file (or of its zip entry, if not null) from absolute offset start to
     * limit: for error offsets and length checks.
     */
    Unpickler(InputStream in, Path file, String entry, long start, long limit, Resolver resolver) {
        this.in = in;
        this.file = file;
        this.entry = entry;
        this.pos = start;
        this.limit = limit;
        this.resolver = resolver;
    }

    /** Absolute offset just after the last pickle read. */
    long position() {
        return pos;
    }

    /** Run one pickle up to its STOP and return its value; the stream is left just after STOP. */
    Object load() throws IOException {
        stack.clear();
        marks.clear();
        memo.clear();
        while (true) {
            opAt = pos;
            int op = u8();
            if (op == '.') {
                if (stack.size() != 1 || !marks.isEmpty())
                    throw error("STOP with " + stack.size() + " values on the stack and " + marks.size() + " open marks");
                return stack.removeLast();
            }
            try {
                step(op);
            } catch (IllegalArgumentException e) {
                throw error(Opcodes.name(op) + ": " + e.getMessage());
            }
        }
    }

    private void step(int op) throws IOException {
        switch (op) {
            case 0x80 -> {   // PROTO
                int v = u8();
                if (v < 2 || v > 5) throw error("pickle protocol " + v + " is not supported (2..5)");
            }
            case 0x95 -> bytes(8);   // FRAME: a length hint only
            case '(' -> {
                if (marks.size() == MAX_MARKS) throw new IllegalArgumentException("MARKs nested deeper than " + MAX_MARKS);
                marks.add(stack.size());
            }
            case '0' -> pop();
            case '1' -> popMark();
            case '2' -> push(peek());
            case '}' -> push(new LinkedHashMap<>());
            case ']' -> push(new ArrayList<>());
            case ')' -> push(Tuple.EMPTY);
            case 0x8f -> push(new LinkedHashSet<>());
            case 'd' -> push(toDict(popMark()));
            case 'l' -> push(new ArrayList<>(popMark()));
            case 't' -> push(new Tuple(popMark()));
            case 0x85, 0x86, 0x87 -> push(new Tuple(popN(op - 0x84)));
            case 's' -> {
                Object v = pop(), k = pop();
                dict(peek()).put(key(k), v);
            }
            case 'u' -> {
                Map<Object, Object> items = toDict(popMark());
                dict(peek()).putAll(items);
            }
            case 'a' -> {
                Object v = pop();
                list(peek()).add(v);
            }
            case 'e' -> {
                List<Object> items = popMark();
                list(peek()).addAll(items);
            }
            case 0x90 -> {
                List<Object> items = popMark();
                Set<Object> target = set(peek());
                for (Object o : items) target.add(key(o));
            }
            default -> stepScalarOrRef(op);
        }
    }

    private void stepScalarOrRef(int op) throws IOException {
        switch (op) {
            case 'J' -> push((long) le(4).getInt());
            case 'K' -> push((long) u8());
            case 'M' -> push((long) (le(2).getShort() & 0xffff));
            case 0x8a -> push(longValue(bytes(u8())));
            case 0x8b -> {
                long n = le(4).getInt() & 0xffffffffL;
                if (n > MAX_LONG_BYTES) throw new IllegalArgumentException("an int of " + n + " bytes");
                push(longValue(bytes(length(n))));
            }
            case 'G' -> push(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble());
            case 'X' -> push(utf8(bytes(length(le(4).getInt() & 0xffffffffL))));
            case 0x8c -> push(utf8(bytes(u8())));
            case 0x8d -> push(utf8(bytes(length(le(8).getLong()))));
            case 'B' -> push(bytes(length(le(4).getInt() & 0xffffffffL)));
            case 'C' -> push(bytes(u8()));
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'c' -> {
                String module = line(), name = line();
                push(resolver.global(module, name));
            }
            case 0x93 -> {
                Object name = pop(), module = pop();
                if (!(module instanceof String m) || !(name instanceof String n))
                    throw new IllegalArgumentException("module and name must be strings");
                push(resolver.global(m, n));
            }
            case 'R' -> {
                Object args = pop(), callable = pop();
                if (!(args instanceof Tuple t)) throw new IllegalArgumentException("arguments are not a tuple");
                push(resolver.call(callable, t));
            }
            case 'b' -> {
                Object state = pop();
                resolver.build(peek(), state);
            }
            case 'Q' -> push(resolver.persistentLoad(pop()));
            case 'q' -> memoPut(u8());
            case 'r' -> memoPut(le(4).getInt() & 0xffffffffL);
            case 0x94 -> memoPut(memo.size());
            case 'h' -> push(memoGet(u8()));
            case 'j' -> push(memoGet(le(4).getInt() & 0xffffffffL));
            default -> throw error("unsupported pickle opcode " + Opcodes.name(op)
                    + " (a state_dict never needs it; the file is corrupt or holds arbitrary Python objects)");
        }
    }

    // ---------------------------------------------------------------- stack

    private void push(Object o) {
        stack.add(o);
    }

    /** Values above the innermost MARK are the current stack, as in Python's unpickler. */
    private int floor() {
        return marks.isEmpty() ? 0 : marks.getLast();
    }

    private Object pop() {
        if (stack.size() <= floor()) throw new IllegalArgumentException("stack underflow");
        return stack.removeLast();
    }

    private Object peek() {
        if (stack.size() <= floor()) throw new IllegalArgumentException("stack underflow");
        return stack.getLast();
    }

    private List<Object> popN(int n) {
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.addFirst(pop());
        return out;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw new IllegalArgumentException("no MARK to pop to");
        int at = marks.removeLast();
        List<Object> items = new ArrayList<>(stack.subList(at, stack.size()));
        stack.subList(at, stack.size()).clear();
        return items;
    }

    private void memoPut(long index) {
        Object top = peek();
        if (memo.size() == MAX_MEMO && !memo.containsKey(index))
            throw new IllegalArgumentException("more than " + MAX_MEMO + " memo entries");
        memo.put(index, top);
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) throw new IllegalArgumentException("memo slot " + index + " is empty");
        return memo.get(index);
    }

    private static Map<Object, Object> toDict(List<Object> items) {
        if (items.size() % 2 != 0) throw new IllegalArgumentException("odd number of items for a dict");
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) m.put(key(items.get(i)), items.get(i + 1));
        return m;
    }

    /** o, if Python could hash it; a list or dict (which may contain itself) never gets hashed. */
    private static Object key(Object o) {
        if (!Tuple.isHashable(o))
            throw new IllegalArgumentException("a dict key or set member is " + describe(o) + " (unhashable)");
        return o;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw new IllegalArgumentException("target is " + describe(o) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw new IllegalArgumentException("target is " + describe(o) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private static Set<Object> set(Object o) {
        if (o instanceof Set<?> s) return (Set<Object>) s;
        throw new IllegalArgumentException("target is " + describe(o) + ", not a set");
    }

    /** The type of a value, e.g. "String", "ArrayList", "Tuple": never its contents. */
    static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    /** A bounded rendering for messages: scalars by value (strings cut at 40 characters), containers by size. */
    static String preview(Object o) {
        return switch (o) {
            case null -> "None";
            case String str -> "'" + (str.length() <= 40 ? str : str.substring(0, 40) + "...") + "'";
            case Long l -> l.toString();
            case Double d -> d.toString();
            case Boolean b -> b ? "True" : "False";
            case BigInteger b -> "an int of " + b.bitLength() + " bits";
            case Tuple t -> t.toString();
            case List<?> l -> "a list of " + l.size() + " items";
            case Map<?, ?> m -> "a dict of " + m.size() + " items";
            case Set<?> set -> "a set of " + set.size() + " items";
            case byte[] b -> b.length + " bytes";
            default -> describe(o);
        };
    }

    // ---------------------------------------------------------------- input

    private int u8() throws IOException {
        int b = in.read();
        if (b < 0) throw truncated();
        pos++;
        return b;
    }

    private byte[] bytes(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        pos += b.length;
        if (b.length < n) throw truncated();
        return b;
    }

    private ByteBuffer le(int n) throws IOException {
        return ByteBuffer.wrap(bytes(n)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A declared length, checked against what is left of the input before anything is allocated. */
    private int length(long n) throws IOException {
        if (n < 0 || n > limit - pos || n > Integer.MAX_VALUE - 8)
            throw error("declared length " + n + " exceeds the " + (limit - pos) + " bytes left");
        return (int) n;
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = u8()) != '\n'; ) {
            if (b.length() > 256 || c < 0x20 || c > 0x7e) throw error("GLOBAL operand is not a short ASCII line");
            b.append((char) c);
        }
        return b.toString();
    }

    private String utf8(byte[] b) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw error("string is not valid UTF-8");
        }
    }

    private static Object longValue(byte[] le) {
        if (le.length == 0) return 0L;
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private CheckpointException truncated() {
        return new CheckpointException(file, where(), "truncated, the data ends at byte " + pos
                + " inside the pickle opcode at byte " + opAt);
    }

    private CheckpointException error(String what) {
        return new CheckpointException(file, where() + "at byte " + opAt + ": ", what);
    }

    private String where() {
        return (entry != null ? "!" + entry : "") + ": ";
    }
}
