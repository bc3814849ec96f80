package org.archrepair.models.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Test-only: emits pickle opcodes the way CPython's pickler does for the objects torch.save
 * writes (protocol 2: GLOBAL, BINUNICODE, BINPUT after each memoized object, BINGET for a
 * repeated string or global; or protocol 4: FRAME, SHORT_BINUNICODE, STACK_GLOBAL, MEMOIZE).
 * Also used to hand-craft malicious or broken pickles.
 */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> memo = new HashMap<>();
    private final int protocol;
    private int next;

    PickleWriter(int protocol) {
        this.protocol = protocol;
        op(0x80);
        out.write(protocol);
    }

    byte[] bytes() {
        byte[] body = out.toByteArray();
        if (protocol < 4) return body;
        // protocol 4 frames everything after PROTO: FRAME + 8-byte length
        ByteBuffer b = ByteBuffer.allocate(body.length + 9).order(ByteOrder.LITTLE_ENDIAN);
        b.put(body, 0, 2).put((byte) 0x95).putLong(body.length - 2).put(body, 2, body.length - 2);
        return b.array();
    }

    PickleWriter op(int code) {
        out.write(code);
        return this;
    }

    PickleWriter raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** Memoize the top of the stack (BINPUT n, or MEMOIZE in protocol 4). */
    private void put() {
        if (protocol >= 4) op(0x94);
        else if (next < 256) op('q').op(next);
        else op('r').raw(le(4).putInt(next).array());
        next++;
    }

    private boolean get(String key) {
        Integer i = memo.get(key);
        if (i == null) return false;
        if (i < 256) op('h').op(i);
        else raw(new byte[]{'j'}).raw(le(4).putInt(i).array());
        return true;
    }

    PickleWriter global(String module, String name) {
        if (get("global:" + module + "." + name)) return this;
        if (protocol >= 4) {
            str(module).str(name).op(0x93);
        } else {
            op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        memo.put("global:" + module + "." + name, next);
        put();
        return this;
    }

    PickleWriter str(String s) {
        if (get("str:" + s)) return this;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (protocol >= 4 && b.length < 256) op(0x8c).op(b.length);
        else raw(new byte[]{'X'}).raw(le(4).putInt(b.length).array());
        raw(b);
        memo.put("str:" + s, next);
        put();
        return this;
    }

    PickleWriter integer(long v) {
        if (v >= 0 && v < 256) return op('K').op((int) v);
        if (v >= 0 && v < 65536) return op('M').raw(le(2).putShort((short) v).array());
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return op('J').raw(le(4).putInt((int) v).array());
        return op(0x8a).op(8).raw(le(8).putLong(v).array());
    }

    PickleWriter real(double v) {
        return op('G').raw(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(v).array());
    }

    PickleWriter bool(boolean v) {
        return op(v ? 0x88 : 0x89);
    }

    PickleWriter none() {
        return op('N');
    }

    PickleWriter mark() {
        return op('(');
    }

    /** Close a tuple of n items pushed since (for n > 3) a mark, memoized as CPython does. */
    PickleWriter tuple(int n) {
        if (n == 0) return op(')');
        if (n <= 3) op(0x84 + n);
        else op('t');
        put();
        return this;
    }

    PickleWriter emptyDict() {
        op('}');
        put();
        return this;
    }

    PickleWriter setItems() {
        return op('u');
    }

    PickleWriter reduce() {
        op('R');
        put();
        return this;
    }

    PickleWriter build() {
        return op('b');
    }

    PickleWriter persId() {
        return op('Q');
    }

    PickleWriter stop() {
        return op('.');
    }

    /** OrderedDict() as CPython reduces it: GLOBAL, EMPTY_TUPLE, REDUCE. */
    PickleWriter orderedDict() {
        return global("collections", "OrderedDict").tuple(0).reduce();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
