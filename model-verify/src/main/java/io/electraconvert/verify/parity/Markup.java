package io.electraconvert.verify.parity;

/**
 * Markup a browser and a plain XML parser both read: every element closed, every attribute quoted, all text and
 * attribute values escaped. Names in a report come from files, so nothing reaches the output unescaped but the
 * constants of this package ({@link #raw}).
 */
final class Markup {
    private final StringBuilder out = new StringBuilder(1 << 16);

    /** {@code attributes}: name, value pairs; a pair whose value is null is left out. */
    Markup open(String tag, String... attributes) {
        start(tag, attributes);
        out.append('>');
        return this;
    }

    Markup close(String tag) {
        out.append("</").append(tag).append(">\n");
        return this;
    }

    /** An element with no content, self-closed ({@code <circle .../>}). */
    Markup empty(String tag, String... attributes) {
        start(tag, attributes);
        out.append("/>\n");
        return this;
    }

    /** An element holding only {@code text}. */
    Markup element(String tag, String text, String... attributes) {
        open(tag, attributes);
        text(text);
        return close(tag);
    }

    Markup text(String text) {
        out.append(escape(text));
        return this;
    }

    /** Constant markup of this package (the doctype, the style sheet): never anything read from a file. */
    Markup raw(String markup) {
        out.append(markup);
        return this;
    }

    private void start(String tag, String... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs: " + attributes.length);
        }
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
            }
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * Text safe in element content and in a quoted attribute: {@code & < > " '}, tab and line breaks as character
     * references (an XML parser would turn them into spaces in an attribute), and what XML 1.0 cannot hold at all
     * (other control characters, unpaired surrogates, U+FFFE, U+FFFF) shown as {@code \}{@code uXXXX}.
     */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '\t', '\n', '\r' -> b.append("&#").append(c).append(';'); // kept as they are in attributes too
                default -> {
                    if (c < 0x20 || c >= 0xD800 && c <= 0xDFFF
                            || c == 0xFFFE || c == 0xFFFF) {
                        b.append(String.format(java.util.Locale.ROOT, "\\u%04X", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }
}
