package io.electraconvert.verify.tokenizer;

import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** A WordPiece {@code vocab.txt}: one token per line, id = 0-based line index. */
public final class Vocabulary {
    private final Path file;
    private final Map<String, Integer> ids;
    private final String[] tokens;

    private Vocabulary(Path file, Map<String, Integer> ids, String[] tokens) {
        this.file = file;
        this.ids = ids;
        this.tokens = tokens;
    }

    /** Reads like Rust tokenizers' {@code WordPiece::read_file}: trailing whitespace trimmed, a later duplicate wins. */
    public static Vocabulary fromFile(Path vocabTxt) {
        return read(vocabTxt, InputFiles.readUtf8(vocabTxt, "vocab file", InputFiles.VOCAB_BYTES).lines().toList());
    }

    /** A vocabulary not read from a file (tests). */
    public static Vocabulary of(List<String> lines) {
        return read(null, lines);
    }

    private static Vocabulary read(Path file, List<String> lines) {
        Map<String, Integer> ids = new HashMap<>();
        String[] tokens = new String[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            tokens[i] = lines.get(i).stripTrailing();
            ids.put(tokens[i], i);
        }
        return new Vocabulary(file, ids, tokens);
    }

    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The id of a token the tokenizer cannot work without, such as {@code [CLS]}. */
    int requiredId(String token) {
        return id(token).orElseThrow(() -> new BadInputException(file, "vocab file has no " + token + " token"));
    }

    public String token(int id) {
        return tokens[id];
    }

    public int size() {
        return tokens.length;
    }
}
