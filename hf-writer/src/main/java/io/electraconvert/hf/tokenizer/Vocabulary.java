package io.electraconvert.hf.tokenizer;

import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A BERT/ELECTRA {@code vocab.txt}: one token per line, id = line number from 0. Lookups follow HF
 * {@code tokenizers}' {@code WordPiece::read_file} (trailing whitespace trimmed; of two equal tokens the later
 * line wins); {@link #requireUsableForTokenizerFiles()} refuses what {@code tokenizer.json} could not represent.
 */
public final class Vocabulary {
    public static final List<String> SPECIAL_TOKENS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    private final Path file;
    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private Vocabulary(Path file, List<String> tokens) {
        this.file = file;
        this.tokens = List.copyOf(tokens);
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            map.put(tokens.get(i).stripTrailing(), i);
        }
        this.ids = map;
    }

    public static Vocabulary read(Path file) {
        String text = InputFiles.readUtf8(file, "vocab file", InputFiles.VOCAB_BYTES);
        return new Vocabulary(file, text.lines().toList());
    }

    /** A vocabulary not read from a file (tests). */
    public static Vocabulary of(List<String> tokens) {
        return new Vocabulary(null, tokens);
    }

    /** The file read, or null. */
    public Path file() {
        return file;
    }

    /** Every line, in id order. */
    public List<String> tokens() {
        return tokens;
    }

    public int size() {
        return tokens.size();
    }

    public String token(int id) {
        return tokens.get(id);
    }

    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The id of a token a tokenizer cannot work without, such as {@code [CLS]}. */
    public int requiredId(String token) {
        return id(token).orElseThrow(() -> new BadInputException(file, "vocab file has no " + token + " token"));
    }

    /** Token -> id in id order, for {@code tokenizer.json}: no token twice, every special token present. */
    public Map<String, Integer> requireUsableForTokenizerFiles() {
        if (tokens.isEmpty()) {
            throw new BadInputException(file, "vocab file is empty");
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            Integer previous = ordered.putIfAbsent(tokens.get(i).stripTrailing(), i);
            if (previous != null) {
                throw new BadInputException(file, "token '" + tokens.get(i) + "' appears twice (lines " + (previous + 1)
                        + " and " + (i + 1) + ")");
            }
        }
        for (String special : SPECIAL_TOKENS) {
            requiredId(special);
        }
        return Collections.unmodifiableMap(ordered);
    }
}
