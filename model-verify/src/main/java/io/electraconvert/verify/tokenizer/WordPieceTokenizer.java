package io.electraconvert.verify.tokenizer;

import io.electraconvert.hf.tokenizer.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * BERT/ELECTRA WordPiece tokenization with the behaviour of HF {@code tokenizers} (the Rust fast tokenizer):
 * special tokens found in the raw text, then {@link BertNormalizer}, {@link BertPreTokenizer}, {@link WordPiece}.
 */
public final class WordPieceTokenizer {
    static final String UNKNOWN = "[UNK]";
    static final String CLASSIFIER = "[CLS]";
    static final String SEPARATOR = "[SEP]";
    private static final List<String> SPECIAL = List.of("[PAD]", UNKNOWN, CLASSIFIER, SEPARATOR, "[MASK]");

    private final Vocabulary vocabulary;
    private final BertNormalizer normalizer;
    private final SpecialTokens specialTokens;
    private final WordPiece wordPiece;

    public WordPieceTokenizer(Vocabulary vocabulary, BertNormalizer normalizer) {
        this.vocabulary = vocabulary;
        this.normalizer = normalizer;
        vocabulary.requiredId(UNKNOWN);
        vocabulary.requiredId(CLASSIFIER);
        vocabulary.requiredId(SEPARATOR);
        // like BertWordPieceTokenizer, only the special tokens the vocabulary has are added
        this.specialTokens = new SpecialTokens(SPECIAL.stream().filter(vocabulary::contains).toList());
        this.wordPiece = new WordPiece(vocabulary, UNKNOWN);
    }

    /** An uncased tokenizer (ELECTRA's {@code do_lower_case: true}) over a {@code vocab.txt}. */
    public static WordPieceTokenizer uncased(Path vocabTxt) {
        return new WordPieceTokenizer(Vocabulary.read(vocabTxt), BertNormalizer.uncased());
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The tokens of {@code text} without the added [CLS]/[SEP]. */
    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (SpecialTokens.Segment segment : specialTokens.split(text)) {
            if (segment.special()) {
                tokens.add(segment.text());
            } else {
                for (String word : BertPreTokenizer.split(normalizer.normalize(segment.text()))) {
                    tokens.addAll(wordPiece.tokenize(word));
                }
            }
        }
        return tokens;
    }

    public Encoding encode(String text) {
        return encode(List.of(tokenize(text)));
    }

    public Encoding encode(String first, String second) {
        return encode(List.of(tokenize(first), tokenize(second)));
    }

    private Encoding encode(List<List<String>> segments) {
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        tokens.add(CLASSIFIER);
        types.add(0);
        for (int segment = 0; segment < segments.size(); segment++) {
            for (String token : segments.get(segment)) {
                tokens.add(token);
                types.add(segment);
            }
            tokens.add(SEPARATOR);
            types.add(segment);
        }
        int[] ids = tokens.stream().mapToInt(vocabulary::requiredId).toArray();
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        return new Encoding(List.copyOf(tokens), ids, types.stream().mapToInt(Integer::intValue).toArray(), mask);
    }
}
