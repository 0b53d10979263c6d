package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.testsupport.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict} on the fine-tuned heads: what it reports is what {@code forward} computes for the same tokens
 * (labels ranked by the softmax of the logits, a regression's raw score, each token's arg-max tag, the span with
 * the best start + end logit), checked against forward's output; and the mistakes of each head's options.
 */
class PredictHeadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static List<String> vocab;

    @BeforeAll
    static void convert() throws Exception {
        vocab = Files.readAllLines(Fixtures.vocab());
        convert("finetune-glue", "mnli", "--task", "mnli");
        convert("finetune-glue", "sts", "--task", "sts");
        convert("finetune-tagging", "chunk");
        convert("finetune-squad", "squad");
    }

    private static void convert(String fixture, String out, String... task) {
        List<String> args = new ArrayList<>(List.of("convert", CliRun.fixture(fixture).toString(), "-m", "task", "-o",
                tmp.resolve(out).toString(), "--vocab", Fixtures.vocab().toString(), "-q"));
        args.addAll(List.of(task));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
    }

    private static JsonNode predict(String folder, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("predict", tmp.resolve(folder).toString(), "--json"));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        return JsonSchemaTest.valid(JsonKind.PREDICTION, run.out());
    }

    /** forward's logits for the tokens predict reports, token types 1 after the first [SEP]. */
    private static JsonNode forward(String folder, JsonNode tokens) throws Exception {
        List<Integer> ids = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        int type = 0;
        for (JsonNode t : tokens) {
            ids.add(vocab.indexOf(t.asText()));
            types.add(type);
            type = t.asText().equals("[SEP]") ? 1 : type;
        }
        Path inputs = tmp.resolve(folder + "-inputs.json");
        Files.writeString(inputs, JSON.writeValueAsString(Map.of("input_ids", List.of(ids),
                "token_type_ids", List.of(types))));
        CliRun run = CliRun.of("forward", tmp.resolve(folder).toString(), "--inputs", inputs.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        return JSON.readTree(run.out()).get("outputs");
    }

    @Test
    void classificationRanksTheLabelsByTheSoftmaxOfTheLogits() throws Exception {
        JsonNode r = predict("mnli", "--text", "the cat sat", "--pair", "a cat is on the mat", "--top", "3");
        assertEquals("a cat is on the mat", r.get("pair").asText());
        JsonNode logits = forward("mnli", r.get("tokens")).get("logits").get(0);
        double max = Math.max(logits.get(0).asDouble(), Math.max(logits.get(1).asDouble(), logits.get(2).asDouble()));
        double sum = 0;
        for (JsonNode l : logits) {
            sum += Math.exp(l.asDouble() - max);
        }
        List<String> names = List.of("contradiction", "entailment", "neutral"); // MNLI's order in the original
        double previous = 1;
        for (JsonNode label : r.get("labels")) {
            int id = label.get("id").asInt();
            assertEquals(names.get(id), label.get("label").asText());
            assertEquals(Math.exp(logits.get(id).asDouble() - max) / sum, label.get("probability").asDouble(), 1e-6);
            assertTrue(label.get("probability").asDouble() <= previous);
            previous = label.get("probability").asDouble();
        }
        assertEquals(3, r.get("labels").size());
    }

    @Test
    void regressionGivesTheRawScore() throws Exception {
        JsonNode r = predict("sts", "--text", "the cat sat", "--pair", "a cat sat");
        assertEquals(forward("sts", r.get("tokens")).get("logits").get(0).get(0).asDouble(), r.get("score").asDouble(), 1e-6);
    }

    @Test
    void taggingGivesEachTokenItsArgMaxTag() throws Exception {
        JsonNode r = predict("chunk", "--text", "the lazy dog sat on the mat");
        JsonNode logits = forward("chunk", r.get("tokens")).get("logits").get(0);
        assertEquals(r.get("tokens").size(), r.get("tags").size());
        for (JsonNode tag : r.get("tags")) {
            JsonNode row = logits.get(tag.get("position").asInt());
            int best = 0;
            for (int j = 1; j < row.size(); j++) {
                best = row.get(j).asDouble() > row.get(best).asDouble() ? j : best;
            }
            assertEquals("LABEL_" + best, tag.get("label").asText()); // converted without --labels
        }
    }

    @Test
    void questionAnsweringTakesTheBestSpanOfTheContext() throws Exception {
        JsonNode r = predict("squad", "--text", "who sat", "--context", "the lazy dog sat on the mat");
        JsonNode out = forward("squad", r.get("tokens"));
        JsonNode start = out.get("start_logits").get(0);
        JsonNode end = out.get("end_logits").get(0);
        int context = 4; // [CLS] who sat [SEP] | the lazy dog sat on the mat [SEP]
        int last = r.get("tokens").size() - 2;
        double best = Double.NEGATIVE_INFINITY;
        int bestStart = -1;
        int bestEnd = -1;
        for (int i = context; i <= last; i++) {
            for (int j = i; j <= last; j++) {
                double score = start.get(i).asDouble() + end.get(j).asDouble();
                if (score > best) {
                    best = score;
                    bestStart = i;
                    bestEnd = j;
                }
            }
        }
        JsonNode answer = r.get("answer");
        assertEquals(List.of(bestStart, bestEnd), List.of(answer.get("start").asInt(), answer.get("end").asInt()));
        assertEquals(best, answer.get("score").asDouble(), 1e-5);
        StringBuilder text = new StringBuilder();
        for (int i = bestStart; i <= bestEnd; i++) {
            text.append(i > bestStart ? " " : "").append(r.get("tokens").get(i).asText());
        }
        assertEquals(text.toString(), answer.get("text").asText());
    }

    @Test
    void eachHeadsOptionsAreCheckedAgainstTheHead() {
        assertOneLine(CliRun.of("predict", tmp.resolve("squad").toString(), "--text", "who sat"),
                "electra-convert: --context is needed: ElectraForQuestionAnswering takes the answer from a passage "
                        + "(--text is the question)");
        assertOneLine(CliRun.of("predict", tmp.resolve("squad").toString(), "--text", "who sat", "--context", " "),
                "electra-convert: --context has no tokens to answer from");
        assertOneLine(CliRun.of("predict", tmp.resolve("chunk").toString(), "--text", "x", "--pair", "y"),
                "electra-convert: --pair is for a sequence classification head, not ElectraForTokenClassification");
        assertOneLine(CliRun.of("predict", tmp.resolve("mnli").toString(), "--text", "x", "--context", "y"),
                "electra-convert: --context is for a question answering head, not ElectraForSequenceClassification");
        Path body = tmp.resolve("body");
        assertEquals(ExitCodes.OK, CliRun.of("convert", CliRun.fixture("finetune-glue").toString(), "-m", "body", "-o",
                body.toString(), "--vocab", Fixtures.vocab().toString(), "-q").exitCode());
        assertOneLine(CliRun.of("predict", body.toString(), "--text", "x"), "electra-convert: "
                + body.resolve("config.json") + ": predict does not run ElectraModel, the body alone: run it with "
                + "forward, which prints its outputs for the token ids you give");
    }

    private static void assertOneLine(CliRun run, String line) {
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        assertEquals(line + "\n", run.err());
    }
}
