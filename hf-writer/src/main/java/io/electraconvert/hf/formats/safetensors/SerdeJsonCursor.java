package io.electraconvert.hf.formats.safetensors;

import io.electraconvert.error.BadInputException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Reads the safetensors header text accepting exactly what serde_json, the reference reader's parser, accepts
 * (checked against safetensors 0.8): RFC 8259 JSON whose only whitespace is space, tab, LF and CR (before and after
 * the value too; a BOM or form feed is not), string escapes that decode to whole UTF-16 pairs, numbers a double can
 * hold, at most {@value #MAX_DEPTH} arrays and objects inside one another, and nothing but whitespace after the
 * value. Jackson accepts lone surrogates, 1e999 and a few other texts serde_json refuses, so it is not used here.
 */
final class SerdeJsonCursor {
    /** serde_json's recursion limit: its 128th nested array or object is an error. */
    static final int MAX_DEPTH = 127;

    /** A number token: its text and, for an integer from 0 to 2^64-1 without fraction or exponent, its value. */
    record Number(String text, boolean unsigned, long unsignedValue) {}

    /** Receives an object member's key with the cursor before its value, which it must read. */
    @FunctionalInterface
    interface MemberReader {
        void member(String key);
    }

    private final Path file;
    private final String text;
    private int pos;

    SerdeJsonCursor(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /** The next non-whitespace character, not consumed; -1 at the end. */
    int peek() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return c;
            }
            pos++;
        }
        return -1;
    }

    /** After the value: only whitespace may follow. */
    void end() {
        if (peek() >= 0) {
            throw error("trailing characters after the JSON value");
        }
    }

    /** An object at nesting {@code depth} (the top-level one is 1), each member passed to {@code reader}. */
    void object(int depth, MemberReader reader) {
        open('{', depth);
        if (peek() == '}') {
            pos++;
            return;
        }
        do {
            if (peek() != '"') {
                throw error("expected a string key");
            }
            String key = string();
            if (peek() != ':') {
                throw error("expected ':'");
            }
            pos++;
            reader.member(key);
        } while (separator('}'));
    }

    /** An array at nesting {@code depth}; {@code reader} gets each element's index and must read it. Returns the count. */
    int array(int depth, IntConsumer reader) {
        open('[', depth);
        if (peek() == ']') {
            pos++;
            return 0;
        }
        int n = 0;
        do {
            reader.accept(n++);
        } while (separator(']'));
        return n;
    }

    /** A string value, escapes decoded. */
    String string() {
        if (peek() != '"') {
            throw error("expected a string");
        }
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            } else if (c < 0x20) {
                throw error("control character in a string");
            } else if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = pos < text.length() ? text.charAt(pos++) : 0;
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    char u = hex4();
                    if (Character.isLowSurrogate(u)) {
                        throw error("lone surrogate in a \\u escape");
                    }
                    sb.append(u);
                    if (Character.isHighSurrogate(u)) {
                        if (!text.startsWith("\\u", pos)) {
                            throw error("lone surrogate in a \\u escape");
                        }
                        pos += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw error("lone surrogate in a \\u escape");
                        }
                        sb.append(low);
                    }
                }
                default -> throw error("invalid escape");
            }
        }
    }

    /** A number token (JSON grammar); serde_json refuses one whose value overflows a double. */
    Number number() {
        peek();
        int start = pos;
        boolean negative = consume('-');
        if (consume('0')) {
            if (digit()) {
                throw error("invalid number");
            }
        } else if (!digits()) {
            throw error("invalid number");
        }
        boolean integer = true;
        if (consume('.')) {
            integer = false;
            if (!digits()) {
                throw error("invalid number");
            }
        }
        if (consume('e') || consume('E')) {
            integer = false;
            if (!consume('+')) {
                consume('-');
            }
            if (!digits()) {
                throw error("invalid number");
            }
        }
        String token = text.substring(start, pos);
        if (integer && !negative && token.length() <= 20) {
            try {
                return new Number(token, true, Long.parseUnsignedLong(token));
            } catch (NumberFormatException beyondU64) {
                // serde_json reads it as a double, like any other number
            }
        }
        if (Double.isInfinite(Double.parseDouble(token))) {
            throw error("number out of range");
        }
        return new Number(token, false, 0);
    }

    /** Any value at nesting {@code depth} (of its own, if it is an array or object), read and dropped. */
    void skipValue(int depth) {
        switch (peek()) {
            case '{' -> object(depth, key -> skipValue(depth + 1));
            case '[' -> array(depth, i -> skipValue(depth + 1));
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    void literal(String word) {
        peek();
        if (!text.startsWith(word, pos)) {
            throw error("expected a value");
        }
        pos += word.length();
    }

    /**
     * What the next value is, in words, for messages about a value of the wrong kind; the text ending where a value
     * should be is invalid JSON, and reported so.
     */
    String kindOfNext() {
        int c = peek();
        return switch (c) {
            case '{' -> "an object";
            case '[' -> "an array";
            case '"' -> "a string";
            case 't', 'f' -> "a boolean";
            case 'n' -> "null";
            case -1 -> throw error("unexpected end of the header");
            default -> c == '-' || c >= '0' && c <= '9' ? "a number" : String.format(Locale.ROOT, "the character U+%04X", c);
        };
    }

    BadInputException error(String problem) {
        return new BadInputException(file, "safetensors header is not valid JSON: " + problem + " at character " + pos
                + " of the header");
    }

    private void open(char bracket, int depth) {
        if (peek() != bracket) {
            throw error("expected '" + bracket + "'");
        }
        if (depth > MAX_DEPTH) {
            throw error("arrays and objects nested more than " + MAX_DEPTH + " deep");
        }
        pos++;
    }

    /** After a member or element: true at ',', false at {@code close} (consumed); a trailing comma is an error. */
    private boolean separator(char close) {
        int c = peek();
        if (c == ',') {
            pos++;
            int next = peek();
            if (next == ']' || next == '}') {
                throw error("trailing comma");
            }
            return true;
        }
        if (c != close) {
            throw error("expected ',' or '" + close + "'");
        }
        pos++;
        return false;
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("unexpected end of a \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            char c = text.charAt(pos++);
            // ASCII only: Character.digit would also take other scripts' digits
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                throw error("invalid \\u escape");
            }
            v = v << 4 | d;
        }
        return (char) v;
    }

    private boolean consume(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean digit() {
        return pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9';
    }

    private boolean digits() {
        int start = pos;
        while (digit()) {
            pos++;
        }
        return pos > start;
    }
}
