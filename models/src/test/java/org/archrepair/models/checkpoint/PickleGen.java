package org.archrepair.models.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test-only: random well-formed pickles for the fuzz suite's "pickle-ops" target, built opcode by
 * opcode over a model of the unpickler's stack, marks and memo, so that every opcode finds what it
 * needs (APPEND a list below, SETITEM a dict, TUPLE2 two values, BINGET a filled slot): containers
 * get shared through a handful of memo slots, nested, put into themselves and into tuples, used as
 * keys and set members, passed to the allowlisted globals, REDUCE, BUILD and BINPERSID. At the end
 * the open marks and extra values are folded into tuples so the pickle STOPs with one value.
 * Byte mutations of seed files rarely get this far; these reach the interpreter's deeper states.
 */
public final class PickleGen {
    private enum Kind { LIST, DICT, SET, TUPLE, SCALAR, GLOBAL, OTHER }

    private static final String[][] GLOBALS = {{"collections", "OrderedDict"}, {"torch._utils", "_rebuild_tensor_v2"},
            {"torch._utils", "_rebuild_tensor"}, {"torch._utils", "_rebuild_parameter"}, {"torch", "FloatStorage"},
            {"torch", "LongStorage"}, {"builtins", "eval"}};
    private static final String[] WORDS = {"storage", "cpu", "0", "1", "state_dict", "weight", "a\nb", ""};

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Kind> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Integer, Kind> memo = new HashMap<>();
    private final SplittableRandom r;

    private PickleGen(SplittableRandom r) {
        this.r = r;
    }

    /** PROTO 2, 1 to 400 opcodes, the folding, STOP. */
    public static byte[] random(SplittableRandom r) {
        PickleGen g = new PickleGen(r);
        g.out.write(0x80);
        g.out.write(2);
        for (int i = 0, n = 1 + r.nextInt(400); i < n; i++) g.step();
        g.close();
        return g.out.toByteArray();
    }

    private int above() {
        return stack.size() - (marks.isEmpty() ? 0 : marks.getLast());
    }

    private Kind top(int k) {
        return stack.get(stack.size() - k);
    }

    private Kind belowMark() {
        int at = marks.getLast() - 1;
        return at >= 0 ? stack.get(at) : null;
    }

    private void step() {
        int a = above();
        switch (r.nextInt(20)) {
            case 0, 1 -> push(new int[]{']', '}', ')', 0x8f}[r.nextInt(4)], Kind.values()[0]);
            case 2 -> mark();
            case 3 -> scalar();
            case 4 -> {
                String[] g = GLOBALS[r.nextInt(GLOBALS.length)];
                write(("c" + g[0] + "\n" + g[1] + "\n").getBytes(StandardCharsets.US_ASCII));
                stack.add(Kind.GLOBAL);
            }
            case 5, 6 -> {   // BINPUT
                if (a >= 1) {
                    int slot = r.nextInt(6);
                    out.write('q');
                    out.write(slot);
                    memo.put(slot, top(1));
                }
            }
            case 7, 8 -> {   // BINGET
                if (!memo.isEmpty()) {
                    int slot = List.copyOf(memo.keySet()).get(r.nextInt(memo.size()));
                    out.write('h');
                    out.write(slot);
                    stack.add(memo.get(slot));
                }
            }
            case 9 -> {      // TUPLE1..3
                int n = 1 + r.nextInt(3);
                if (a >= n) fold(0x84 + n, n, Kind.TUPLE);
            }
            case 10 -> {     // APPEND, SETITEM
                if (a >= 2 && top(2) == Kind.LIST) fold('a', 1, null);
                else if (a >= 3 && top(3) == Kind.DICT) fold('s', 2, null);
            }
            case 11 -> {     // APPENDS, SETITEMS, ADDITEMS into the container below the mark
                if (!marks.isEmpty() && belowMark() != null) {
                    Kind k = belowMark();
                    int op = k == Kind.LIST ? 'e' : k == Kind.DICT ? 'u' : k == Kind.SET ? 0x90 : -1;
                    if (op >= 0) closeMark(op, null);
                }
            }
            case 12 -> {     // LIST, TUPLE, DICT from the mark
                if (!marks.isEmpty()) {
                    int pick = r.nextInt(3);
                    closeMark(new int[]{'l', 't', 'd'}[pick], new Kind[]{Kind.LIST, Kind.TUPLE, Kind.DICT}[pick]);
                }
            }
            case 13 -> {     // REDUCE, BUILD
                if (a >= 2) {
                    if (r.nextBoolean()) fold('R', 2, Kind.OTHER);
                    else fold('b', 1, null);
                }
            }
            case 14 -> {     // BINPERSID
                if (a >= 1) fold('Q', 1, Kind.OTHER);
            }
            case 15 -> {     // DUP, POP
                if (a >= 1) {
                    if (r.nextBoolean()) {
                        out.write('2');
                        stack.add(top(1));
                    } else fold('0', 1, null);
                }
            }
            case 16 -> {     // MEMOIZE
                if (a >= 1) {
                    out.write(0x94);
                    memo.put(memo.size(), top(1));
                }
            }
            default -> {
                if (r.nextInt(8) == 0) push(']', Kind.LIST);
                else scalar();
            }
        }
    }

    private void push(int op, Kind ignored) {
        out.write(op);
        stack.add(switch (op) {
            case ']' -> Kind.LIST;
            case '}' -> Kind.DICT;
            case ')' -> Kind.TUPLE;
            default -> Kind.SET;
        });
    }

    private void mark() {
        out.write('(');
        marks.add(stack.size());
    }

    private void scalar() {
        switch (r.nextInt(5)) {
            case 0 -> {
                out.write('K');
                out.write(r.nextInt(256));
            }
            case 1 -> {
                byte[] s = WORDS[r.nextInt(WORDS.length)].getBytes(StandardCharsets.UTF_8);
                out.write('X');
                write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(s.length).array());
                write(s);
            }
            case 2 -> out.write(r.nextBoolean() ? 'N' : 0x88);
            case 3 -> {
                out.write('G');
                write(ByteBuffer.allocate(8).putDouble(r.nextInt(4) == 0 ? Double.NaN : r.nextDouble()).array());
            }
            default -> {
                out.write(0x8a);
                int len = r.nextInt(10);
                out.write(len);
                for (int i = 0; i < len; i++) out.write(r.nextInt(256));
            }
        }
        stack.add(Kind.SCALAR);
    }

    /** An opcode that pops n values and (if result is not null) pushes one of kind result. */
    private void fold(int op, int n, Kind result) {
        out.write(op);
        for (int i = 0; i < n; i++) stack.removeLast();
        if (result != null) stack.add(result);
    }

    private void closeMark(int op, Kind result) {
        out.write(op);
        int at = marks.removeLast();
        while (stack.size() > at) stack.removeLast();
        if (result != null) stack.add(result);
    }

    /** Fold open marks into tuples and the stack into nested pairs, then STOP. */
    private void close() {
        while (!marks.isEmpty()) closeMark('t', Kind.TUPLE);
        if (stack.isEmpty()) push('}', Kind.DICT);
        while (stack.size() > 1) fold(0x86, 2, Kind.TUPLE);
        out.write('.');
    }

    private void write(byte[] b) {
        out.writeBytes(b);
    }
}
