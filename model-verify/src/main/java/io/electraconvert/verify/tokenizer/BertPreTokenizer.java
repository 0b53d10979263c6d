package io.electraconvert.verify.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** Rust tokenizers' {@code BertPreTokenizer}: split on whitespace (dropped), then isolate each punctuation char. */
final class BertPreTokenizer {
    private BertPreTokenizer() {}

    static List<String> split(String normalized) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        normalized.codePoints().forEach(cp -> {
            if (UnicodeClasses.isWhitespace(cp)) {
                flush(word, words);
            } else if (UnicodeClasses.isPunctuation(cp)) {
                flush(word, words);
                words.add(new String(Character.toChars(cp)));
            } else {
                word.appendCodePoint(cp);
            }
        });
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.length() > 0) {
            words.add(word.toString());
            word.setLength(0);
        }
    }
}
