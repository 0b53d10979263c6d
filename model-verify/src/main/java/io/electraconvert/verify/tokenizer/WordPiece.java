package io.electraconvert.verify.tokenizer;

import io.electraconvert.hf.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy longest-match-first WordPiece over one word: continuation pieces carry {@code ##}; a word longer than
 * {@code maxInputCharsPerWord} code points, or with any position no piece matches, becomes the unknown token whole.
 */
final class WordPiece {
    static final String CONTINUATION_PREFIX = "##";
    static final int MAX_INPUT_CHARS_PER_WORD = 100;

    private final Vocabulary vocabulary;
    private final String unknownToken;

    WordPiece(Vocabulary vocabulary, String unknownToken) {
        this.vocabulary = vocabulary;
        this.unknownToken = unknownToken;
    }

    List<String> tokenize(String word) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > MAX_INPUT_CHARS_PER_WORD) {
            return List.of(unknownToken);
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            String match = null;
            int end = cps.length;
            for (; end > start; end--) {
                String candidate = new String(cps, start, end - start);
                if (start > 0) {
                    candidate = CONTINUATION_PREFIX + candidate;
                }
                if (vocabulary.contains(candidate)) {
                    match = candidate;
                    break;
                }
            }
            if (match == null) {
                return List.of(unknownToken);
            }
            pieces.add(match);
            start = end;
        }
        return pieces;
    }
}
