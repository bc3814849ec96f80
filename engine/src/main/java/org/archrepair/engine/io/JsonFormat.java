package org.archrepair.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.Instantiatable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The project's one Jackson configuration. Reading is strict and bounded for untrusted input
 * (safetensors headers, resume files, benchmark results): RFC 8259 only (no NaN or Infinity, no
 * leading zeros or '+', ASCII digits only, no comments, single quotes or trailing commas), a
 * duplicate key is an error, nothing may follow the value, and {@link #LIMITS} caps nesting depth,
 * number and string length, names, tokens and document size, so a hostile document fails with a
 * message instead of exhausting the stack or the heap. Writing keeps the layout the project has
 * always written: compact, or indented by two spaces with {@code "key": value} and arrays of
 * scalars on one line; doubles as Java prints them, whole numbers below 1e15 as {@code 12.0},
 * NaN and infinities as null.
 *
 * <p>What it is not: no data binding to classes (callers read the tree and check each field,
 * so an error names the field) and no lenient mode.
 */
public final class JsonFormat {
    /** Bounds for every document read: far above what our files need, far below what hurts. */
    public static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxNumberLength(100)
            .maxStringLength(16 << 20)
            .maxNameLength(64 << 10)
            .maxDocumentLength(100L << 20)
            .maxTokenCount(16L << 20)
            .build();

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(LIMITS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .addModule(new SimpleModule("archrepair-numbers")
                    .addSerializer(Double.class, new DoubleText())
                    .addSerializer(Float.class, new FloatText()))
            .build();

    private JsonFormat() {
    }

    /** The tree of one JSON document; a JsonProcessingException (see {@link #describe}) for anything else. */
    public static JsonNode read(String text) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(text)) {
            try {
                JsonNode tree = MAPPER.readTree(p);
                if (tree == null) throw new JsonParseException(p, "no JSON value");
                if (p.nextToken() != null) throw new JsonParseException(p, "content after the JSON value");
                return tree;
            } catch (JsonProcessingException e) {
                throw located(p, e);
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {   // a parser over a String reads nothing else
            throw new IllegalStateException(e);
        }
    }

    /**
     * One JSON document as plain Java values: maps (in document order), lists, strings, booleans,
     * null, Long for integers and Double for other numbers; the limits and strictness of {@link #read}.
     */
    public static Object parse(String text) throws JsonProcessingException {
        return MAPPER.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS)
                .treeToValue(read(text), Object.class);
    }

    /** A streaming parser over UTF-8 bytes, with the same limits and strictness as {@link #read}. */
    public static JsonParser parser(byte[] utf8) throws IOException {
        return FACTORY.createParser(utf8);
    }

    /** e with p's position when it has none of its own (a broken limit is reported without one). */
    public static JsonProcessingException located(JsonParser p, JsonProcessingException e) {
        if (e.getLocation() != null) return e;
        return new JsonParseException(p, e.getOriginalMessage(), e);
    }

    /** One line for an error: Jackson's own words and where (character or byte offset) they apply. */
    public static String describe(JsonProcessingException e) {
        String what = String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " ").strip();
        JsonLocation at = e.getLocation();
        if (at == null) return "JSON: " + what;
        long offset = at.getByteOffset() >= 0 ? at.getByteOffset() : at.getCharOffset();
        return "JSON: " + what + (offset >= 0 ? " at offset " + offset : "");
    }

    /** Compact JSON of maps, lists, arrays of primitives, strings, numbers, booleans and null. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Indented JSON (two spaces, a final newline), for files a person reads. */
    public static String writePretty(Object value) {
        try {
            return MAPPER.writer(new Layout()).writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Whole doubles below 1e15 as "12.0", others as Double.toString, non-finite as null. */
    private static final class DoubleText extends StdSerializer<Double> {
        DoubleText() {
            super(Double.class);
        }

        @Override
        public void serialize(Double d, JsonGenerator g, SerializerProvider p) throws IOException {
            number(d, g);
        }
    }

    private static final class FloatText extends StdSerializer<Float> {
        FloatText() {
            super(Float.class);
        }

        @Override
        public void serialize(Float f, JsonGenerator g, SerializerProvider p) throws IOException {
            number(f.doubleValue(), g);
        }
    }

    private static void number(double d, JsonGenerator g) throws IOException {
        if (!Double.isFinite(d)) g.writeNull();
        else if (d == Math.rint(d) && Math.abs(d) < 1e15) g.writeNumber((long) d + ".0");
        else g.writeNumber(d);
    }

    /**
     * Objects one entry per line; arrays on one line unless they hold maps or lists (then one
     * element per line). Which kind an array is comes from the value being written, which
     * Jackson's collection serializers hand to the generator before the '['.
     */
    private static final class Layout implements PrettyPrinter, Instantiatable<Layout> {
        private final Deque<Boolean> blocks = new ArrayDeque<>();
        private int level;

        @Override
        public Layout createInstance() {
            return new Layout();
        }

        private void newline(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            g.writeRaw("  ".repeat(level));
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(' ');
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            level++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newline(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            level--;
            if (entries > 0) newline(g);
            g.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            boolean block = g.currentValue() instanceof List<?> l
                    && l.stream().anyMatch(x -> x instanceof Map || x instanceof List);
            blocks.push(block);
            g.writeRaw('[');
            level++;
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (blocks.element()) newline(g);
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            if (blocks.element()) {
                g.writeRaw(',');
                newline(g);
            } else {
                g.writeRaw(", ");
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            level--;
            if (blocks.pop() && values > 0) newline(g);
            g.writeRaw(']');
        }
    }
}
