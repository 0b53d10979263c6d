package io.electraconvert.verify.tokenizer;

import java.text.Normalizer;

/**
 * Rust tokenizers' {@code BertNormalizer}, in its order: clean text (drop NUL, U+FFFD and other C* characters,
 * whitespace to ' '), space out CJK ideographs, strip accents (NFD, drop Mn), lowercase. Unlike Python's slow
 * BasicTokenizer there is no NFC step, and accents are stripped before lowercasing.
 *
 * @param stripAccents {@code strip_accents}; transformers' {@code null} means "same as lowercase"
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {

    /** The uncased BERT/ELECTRA configuration. */
    public static BertNormalizer uncased() {
        return new BertNormalizer(true, true, true, true);
    }

    public String normalize(String text) {
        String s = text;
        if (cleanText) {
            s = clean(s);
        }
        if (handleChineseChars) {
            s = spaceChinese(s);
        }
        if (stripAccents) {
            s = stripAccents(s);
        }
        if (lowercase) {
            s = lowercase(s);
        }
        return s;
    }

    private static String clean(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || UnicodeClasses.isControl(cp)) {
                return;
            }
            out.appendCodePoint(UnicodeClasses.isWhitespace(cp) ? ' ' : cp);
        });
        return out.toString();
    }

    private static String spaceChinese(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (UnicodeClasses.isChinese(cp)) {
                out.append(' ').appendCodePoint(cp).append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static String stripAccents(String s) {
        StringBuilder out = new StringBuilder(s.length());
        Normalizer.normalize(s, Normalizer.Form.NFD).codePoints()
                .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    /**
     * Per code point, like Rust {@code char::to_lowercase}: no context rules (final sigma stays σ, unlike
     * {@code String.toLowerCase}); İ becomes "i̇", its one multi-character lowercase mapping.
     */
    private static String lowercase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp == 0x130) {
                out.append("i\u0307");
            } else {
                out.appendCodePoint(Character.toLowerCase(cp));
            }
        });
        return out.toString();
    }
}
