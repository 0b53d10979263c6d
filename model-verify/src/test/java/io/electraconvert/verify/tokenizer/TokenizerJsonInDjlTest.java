package io.electraconvert.verify.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.hf.tokenizer.TokenizerFiles;
import io.electraconvert.hf.tokenizer.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer.json hf-writer emits, loaded by DJL's HuggingFace tokenizers (the Rust library through JNI), gives
 * the ids HF's tokenizers/BertTokenizer gave for the same vocab on a varied corpus (expected.json, made by
 * src/test/python/make_tokenizer_fixture.py).
 */
class TokenizerJsonInDjlTest {
    @TempDir
    Path out;

    @Test
    void djlLoadsOurTokenizerJsonAndMatchesHuggingFaceIds() throws Exception {
        Path resources = Path.of(getClass().getResource("/tokenizer/vocab.txt").toURI()).getParent();
        TokenizerFiles.write(Vocabulary.read(resources.resolve("vocab.txt")), 512, out);
        JsonNode cases = new ObjectMapper().readTree(Files.readString(resources.resolve("expected.json")));
        int checked = 0;
        try (HuggingFaceTokenizer djl = HuggingFaceTokenizer.newInstance(out.resolve("tokenizer.json"),
                Map.of("truncation", "false", "padding", "false"))) {
            for (JsonNode c : cases) {
                String text = c.get("text").asText();
                Encoding e = c.has("pair") ? djl.encode(text, c.get("pair").asText()) : djl.encode(text);
                long[] expected = new long[c.get("ids").size()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = c.get("ids").get(i).asLong();
                }
                assertArrayEquals(expected, e.getIds(), "ids for " + text);
                long[] types = new long[c.get("type_ids").size()];
                for (int i = 0; i < types.length; i++) {
                    types[i] = c.get("type_ids").get(i).asLong();
                }
                assertArrayEquals(types, e.getTypeIds(), "type ids for " + text);
                checked++;
            }
        }
        assertTrue(checked >= 20, "corpus too small: " + checked);
    }
}
