package io.electraconvert.verify.tokenizer;

import io.electraconvert.hf.tokenizer.Vocabulary;
import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Against HF tokenizers on the corpus of {@code src/test/python/make_tokenizer_fixture.py}. */
class WordPieceTokenizerTest {

    @TestFactory
    Stream<DynamicTest> matchesHfTokenizers() throws IOException, URISyntaxException {
        Path folder = Path.of(WordPieceTokenizerTest.class.getResource("/tokenizer").toURI());
        WordPieceTokenizer tokenizer = WordPieceTokenizer.uncased(folder.resolve("vocab.txt"));
        JsonNode cases = new ObjectMapper().readTree(folder.resolve("expected.json").toFile());
        assertEquals(27, cases.size(), "cases in expected.json");
        return IntStream.range(0, cases.size()).mapToObj(i -> {
            JsonNode c = cases.get(i);
            String text = c.get("text").asText();
            String name = i + ": " + (c.has("pair") ? text + " | " + c.get("pair").asText() : text)
                    .replaceAll("\\p{Cntrl}", "?");
            return DynamicTest.dynamicTest(name.length() > 60 ? name.substring(0, 60) : name, () -> {
                Encoding encoding = c.has("pair")
                        ? tokenizer.encode(text, c.get("pair").asText())
                        : tokenizer.encode(text);
                assertEquals(strings(c.get("tokens")), encoding.tokens());
                assertArrayEquals(ints(c.get("ids")), encoding.ids());
                assertArrayEquals(ints(c.get("type_ids")), encoding.typeIds());
                assertArrayEquals(IntStream.generate(() -> 1).limit(encoding.ids().length).toArray(),
                        encoding.attentionMask());
            });
        });
    }

    @Test
    void missingRequiredSpecialTokenIsReported() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> new WordPieceTokenizer(Vocabulary.of(List.of("[PAD]", "[UNK]", "[CLS]")), BertNormalizer.uncased()));
        assertEquals("vocab file has no [SEP] token", e.getMessage()); // built in memory: no file to name
    }

    @Test
    void casedNormalizerKeepsCaseAndAccents() {
        assertEquals("Héllo Σ", new BertNormalizer(true, true, false, false).normalize("Héllo\u0007 Σ"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    private static int[] ints(JsonNode array) {
        return IntStream.range(0, array.size()).map(i -> array.get(i).asInt()).toArray();
    }
}
