package io.electraconvert.hf.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonStreaming#readTree} against databind's {@code ObjectMapper.readTree}: the same tree (node types and key
 * order included) or an error from both, naming the same character or token. The wording after that may differ: the
 * mapper reads members with {@code nextFieldName()}, whose messages list the valid values ("expected a valid value
 * (JSON String, Number, ...)" where {@code nextToken()} says "expected a value").
 */
class JsonStreamingTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void fixedCasesGiveTheMappersTreeOrItsError() {
        for (String json : List.of("", "  \n", "{}", "[]", "5", "-0", "\"s\"", "null", "true", "false", "1.0E-12", "1e400",
                "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
                "123456789012345678901234567890", "{\"a\":1,\"a\":[2]}", "{\"a\":{\"b\":[1,{\"c\":null}],\"d\":\"\\u00e9\"}}",
                "[[], {}, [[]], 0.5]", "{} trailing", "[1] ]", "{\"a\":", "[1,2", "{'a':1}", "{\"a\":NaN}", "{\"a\" 1}",
                "[1,]", "{\"a\":1,}", "\"unterminated", "tru", "01", "{\"vocab_size\": 30522, \"layer_norm_eps\": 1e-12}")) {
            assertSame(json);
        }
    }

    @Test
    void randomDocumentsAndTheirDamagedCopiesGiveTheMappersTreeOrItsError() throws Exception {
        SplittableRandom random = new SplittableRandom(14);
        int iterations = Integer.getInteger("electra.fuzz.iterations", 2000);
        for (int i = 0; i < iterations; i++) {
            String json = MAPPER.writeValueAsString(MAPPER.readTree(randomValue(random, 0)));
            assertSame(json);
            StringBuilder damaged = new StringBuilder(json);
            int at = random.nextInt(damaged.length());
            switch (random.nextInt(3)) {
                case 0 -> damaged.setLength(at);
                case 1 -> damaged.deleteCharAt(at);
                default -> damaged.insert(at, "{}[],:\"x1.-e"
                        .charAt(random.nextInt(12)));
            }
            assertSame(damaged.toString());
        }
    }

    private static void assertSame(String json) {
        String expected;
        try {
            JsonNode tree = MAPPER.readTree(json);
            expected = tree.getClass().getSimpleName() + " " + tree;
        } catch (Exception e) {
            expected = "error: " + what(e);
        }
        String actual;
        try {
            JsonNode tree = JsonStreaming.readTree(json);
            actual = tree.getClass().getSimpleName() + " " + tree;
            // node types all the way down (IntNode vs LongNode) and key order
            assertEquals(MAPPER.readTree(json), tree, json);
        } catch (Exception e) {
            actual = "error: " + what(e);
        }
        assertEquals(expected, actual, json);
    }

    /** The first line of the message up to the parser's explanation: "Unexpected character ('}' (code 125))". */
    private static String what(Exception e) {
        String line = e.getMessage().lines().findFirst().orElse("");
        int colon = line.indexOf("): ");
        return colon < 0 ? line : line.substring(0, colon + 1);
    }

    private static String randomValue(SplittableRandom random, int depth) {
        int kind = depth > 4 ? 2 + random.nextInt(6) : random.nextInt(8);
        return switch (kind) {
            case 0 -> {
                List<String> members = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    members.add("\"k" + random.nextInt(3) + "\":" + randomValue(random, depth + 1));
                }
                yield "{" + String.join(",", members) + "}";
            }
            case 1 -> {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(randomValue(random, depth + 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
            case 2 -> Integer.toString(random.nextInt());
            case 3 -> Long.toString(random.nextLong());
            case 4 -> random.nextBoolean() ? Double.toString(random.nextDouble() * 1e-10) : "1" + "0".repeat(random.nextInt(30));
            case 5 -> "\"s" + random.nextInt(100) + "\\n\"";
            case 6 -> random.nextBoolean() ? "true" : "false";
            default -> "null";
        };
    }
}
