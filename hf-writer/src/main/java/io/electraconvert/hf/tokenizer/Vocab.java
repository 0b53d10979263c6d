package io.electraconvert.hf.tokenizer;

import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A BERT {@code vocab.txt}: one token per line, id = line number from 0. */
public record Vocab(Path file, List<String> tokens, Map<String, Integer> ids) {
    public static final List<String> SPECIAL_TOKENS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    public static Vocab read(Path file) {
        String text = InputFiles.readUtf8(file, "vocab file", InputFiles.VOCAB_BYTES);
        List<String> tokens = new ArrayList<>(text.lines().map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).toList());
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            Integer previous = ids.putIfAbsent(tokens.get(i), i);
            if (previous != null) {
                throw new BadInputException(file, "token '" + tokens.get(i) + "' appears twice (lines " + (previous + 1)
                        + " and " + (i + 1) + ")");
            }
        }
        if (tokens.isEmpty()) {
            throw new BadInputException(file, "vocab file is empty");
        }
        for (String special : SPECIAL_TOKENS) {
            if (!ids.containsKey(special)) {
                throw new BadInputException(file, "vocab has no " + special + " token");
            }
        }
        return new Vocab(file, Collections.unmodifiableList(tokens), Collections.unmodifiableMap(ids));
    }

    public int size() {
        return tokens.size();
    }

    public int id(String token) {
        return ids.get(token);
    }
}
