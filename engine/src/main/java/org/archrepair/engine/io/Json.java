package org.archrepair.engine.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader and writer (RFC 8259) for safetensors headers and reports: objects
 * become LinkedHashMaps (duplicate keys are an error), arrays Lists, integers Long, other numbers
 * Double. Errors give the character offset.
 */
public final class Json {
    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    public static Object parse(String text) {
        Json j = new Json(text);
        j.skipWhitespace();
        Object v = j.value(0);
        j.skipWhitespace();
        if (j.pos != text.length()) throw j.error("trailing characters after the JSON value");
        return v;
    }

    private static final int MAX_DEPTH = 64;

    private Object value(int depth) {
        if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
        if (pos >= s.length()) throw error("unexpected end of input");
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        pos++;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return m;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key");
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth + 1);
            if (m.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            m.put(key, v);
            skipWhitespace();
            char c = next();
            if (c == '}') return m;
            if (c != ',') throw error("expected ',' or '}' in object");
        }
    }

    private List<Object> array(int depth) {
        List<Object> l = new ArrayList<>();
        pos++;
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return l;
        }
        while (true) {
            skipWhitespace();
            l.add(value(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == ']') return l;
            if (c != ',') throw error("expected ',' or ']' in array");
        }
    }

    private String string() {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') return b.toString();
            if (c < 0x20) throw error("control character in string");
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) throw error("truncated \\u escape");
                    try {
                        b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') pos++;
        else if (peek() >= '1' && peek() <= '9') while (Character.isDigit(peek())) pos++;
        else throw error("bad number");
        boolean integer = true;
        if (peek() == '.') {
            integer = false;
            pos++;
            if (!Character.isDigit(peek())) throw error("bad number: digit expected after '.'");
            while (Character.isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!Character.isDigit(peek())) throw error("bad number: digit expected in exponent");
            while (Character.isDigit(peek())) pos++;
        }
        String text = s.substring(start, pos);
        if (integer) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw error("integer out of range: " + text);
            }
        }
        return Double.parseDouble(text);
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) throw error("unexpected token");
        pos += word.length();
        return v;
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= s.length()) throw error("unexpected end of input");
        return s.charAt(pos++);
    }

    private void expect(char c) {
        if (next() != c) {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private void skipWhitespace() {
        while (pos < s.length() && " \t\n\r".indexOf(s.charAt(pos)) >= 0) pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + pos);
    }

    // ---------------------------------------------------------------- writing

    /** Compact JSON for maps, lists, strings, numbers, booleans and null. */
    public static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(v, b, -1, 0);
        return b.toString();
    }

    /** Indented JSON (two spaces), for reports a person reads. */
    public static String writePretty(Object v) {
        StringBuilder b = new StringBuilder();
        write(v, b, 2, 0);
        return b.append('\n').toString();
    }

    private static void write(Object v, StringBuilder b, int indent, int level) {
        switch (v) {
            case null -> b.append("null");
            case String str -> quote(str, b);
            case Boolean bool -> b.append(bool);
            case Double d -> b.append(finite(d));
            case Float f -> b.append(finite(f.doubleValue()));
            case Number n -> b.append(n);
            case Map<?, ?> m -> {
                b.append('{');
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (i++ > 0) b.append(',');
                    newline(b, indent, level + 1);
                    quote(String.valueOf(e.getKey()), b);
                    b.append(indent >= 0 ? ": " : ":");
                    write(e.getValue(), b, indent, level + 1);
                }
                if (i > 0) newline(b, indent, level);
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                boolean scalars = l.stream().noneMatch(x -> x instanceof Map || x instanceof List);
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(scalars && indent >= 0 ? ", " : ",");
                    if (!scalars) newline(b, indent, level + 1);
                    write(l.get(i), b, indent, level + 1);
                }
                if (!scalars && !l.isEmpty()) newline(b, indent, level);
                b.append(']');
            }
            case int[] a -> write(java.util.Arrays.stream(a).boxed().toList(), b, indent, level);
            case long[] a -> write(java.util.Arrays.stream(a).boxed().toList(), b, indent, level);
            default -> throw new IllegalArgumentException("cannot write " + v.getClass() + " as JSON");
        }
    }

    private static String finite(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return "null";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d) + ".0";
        return Double.toString(d);
    }

    private static void newline(StringBuilder b, int indent, int level) {
        if (indent < 0) return;
        b.append('\n');
        b.append(" ".repeat(indent * level));
    }

    private static void quote(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
