package io.electraconvert.hf.tokenizer;

import io.electraconvert.hf.HfFormatException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new HfFormatException(file, "vocab file not found");
        } catch (CharacterCodingException e) {
            throw new HfFormatException(file, "vocab file is not UTF-8");
        } catch (IOException e) {
            throw new HfFormatException(file, "cannot read vocab file: " + e.getMessage(), e);
        }
        List<String> tokens = new ArrayList<>(text.lines().map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).toList());
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            Integer previous = ids.putIfAbsent(tokens.get(i), i);
            if (previous != null) {
                throw new HfFormatException(file, "token '" + tokens.get(i) + "' appears twice (lines " + (previous + 1)
                        + " and " + (i + 1) + ")");
            }
        }
        if (tokens.isEmpty()) {
            throw new HfFormatException(file, "vocab file is empty");
        }
        for (String special : SPECIAL_TOKENS) {
            if (!ids.containsKey(special)) {
                throw new HfFormatException(file, "vocab has no " + special + " token");
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
