package io.electraconvert.verify.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Special tokens matched in the raw text before normalisation, as tokenizers does for added tokens with
 * {@code normalized=false}: leftmost-longest, anywhere (so "the[MASK]" gives "the", "[MASK]"); case-sensitive.
 */
final class SpecialTokens {

    /** A piece of input: either one special token or ordinary text to normalise and split. */
    record Segment(String text, boolean special) {}

    private final List<String> tokens;

    SpecialTokens(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    List<Segment> split(String text) {
        List<Segment> segments = new ArrayList<>();
        int plainStart = 0;
        int i = 0;
        while (i < text.length()) {
            String match = longestAt(text, i);
            if (match == null) {
                i++;
                continue;
            }
            if (i > plainStart) {
                segments.add(new Segment(text.substring(plainStart, i), false));
            }
            segments.add(new Segment(match, true));
            i += match.length();
            plainStart = i;
        }
        if (plainStart < text.length()) {
            segments.add(new Segment(text.substring(plainStart), false));
        }
        return segments;
    }

    private String longestAt(String text, int offset) {
        String longest = null;
        for (String token : tokens) {
            if (text.startsWith(token, offset) && (longest == null || token.length() > longest.length())) {
                longest = token;
            }
        }
        return longest;
    }
}
