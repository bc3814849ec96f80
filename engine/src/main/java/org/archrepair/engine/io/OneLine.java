package org.archrepair.engine.io;

/**
 * The text of an error about an untrusted file, made safe to print: names and strings taken from
 * the file may hold line breaks, control characters or megabytes, so control characters
 * (including U+0085, U+2028, U+2029) become escapes ({@code \n}, {@code \x07}, {@code \u2028}) and
 * the text is cut at {@link #MAX} characters. The reader exceptions pass their messages through it,
 * so every message is one line of bounded length, whatever the file holds.
 */
public final class OneLine {
    public static final int MAX = 4000;

    private OneLine() {
    }

    public static String of(String text) {
        if (text == null) return null;
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX) + 16);
        for (int i = 0; i < text.length() && b.length() < MAX; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
                    else if (c == '\u0085' || c == '\u2028' || c == '\u2029') b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        if (b.length() >= MAX && text.length() > MAX) b.append("... (cut at ").append(MAX).append(" characters)");
        return b.toString();
    }
}
