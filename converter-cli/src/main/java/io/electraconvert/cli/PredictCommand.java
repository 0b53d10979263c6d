package io.electraconvert.cli;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.json.JsonMappers;
import io.electraconvert.error.BadInputException;
import io.electraconvert.verify.model.ElectraModel;
import io.electraconvert.verify.model.ModelFolder;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.verify.model.ModelInput;
import io.electraconvert.verify.model.ModelOutput;
import io.electraconvert.verify.model.Tensor;
import io.electraconvert.verify.tokenizer.Encoding;
import io.electraconvert.verify.tokenizer.WordPieceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code predict DIR --text "..."}: run a converted folder on a sentence with the built-in forward pass. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Run a converted model on a sentence (tokenized with DIR/vocab.txt, uncased).",
                "Generator (ElectraForMaskedLM): the top candidates with probabilities for each [MASK]. "
                + "Discriminator (ElectraForPreTraining): each token with its probability of having been replaced. "
                + "Sequence classification: the top labels with probabilities (a regression head: its score). "
                + "Token classification: each token's most likely tag. Question answering: the best answer span "
                + "in --context for the question --text."},
        footer = {"", "Examples:",
                "  electra-convert predict out/gen --text \"the quick brown [MASK] jumps\"",
                "  electra-convert predict out/disc --text \"the quick brown dog jumps\" --json",
                "  electra-convert predict out/mnli --text \"a man sleeps\" --pair \"a person rests\"",
                "  electra-convert predict out/squad --text \"who jumps?\" --context \"the quick brown fox jumps\""})
final class PredictCommand implements Callable<Integer> {
    /** The longest answer span, in tokens (google-research/electra's answer_max_length is 30). */
    private static final int MAX_ANSWER_TOKENS = 30;

    @Parameters(paramLabel = "DIR", description = "A converted HuggingFace model folder (config.json, weights in any format, vocab.txt).")
    Path dir;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "The sentence; use [MASK] for a generator.")
    String text;

    @Option(names = "--pair", paramLabel = "TEXT", description = "Sequence classification: the second sentence of a "
            + "pair task (MNLI, QQP, ...), after [SEP] with token type 1.")
    String pair;

    @Option(names = "--context", paramLabel = "TEXT", description = "Question answering: the passage the answer is "
            + "taken from (--text is the question).")
    String context;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", converter = OptionValues.PositiveInt.class,
            description = "Candidates per [MASK], or labels of a classification (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print the predictions as a JSON document (docs/json.md) instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ModelFolder folder = ModelFolder.open(dir);
        ElectraConfig config = folder.config();
        HeadKind head = folder.head();
        Path vocabTxt = folder.vocab().orElseThrow(() -> new BadInputException(dir.resolve("vocab.txt"),
                "not found; predict needs the vocabulary (convert with --vocab)"));
        if (head == HeadKind.BODY || head == HeadKind.MULTIPLE_CHOICE) {
            throw new BadInputException(dir.resolve("config.json"), "predict does not run " + head.architecture()
                    + (head == HeadKind.BODY ? ", the body alone" : "") + ": run it with forward, which prints its "
                    + "outputs for the token ids you give");
        }
        if (pair != null && head != HeadKind.SEQUENCE_CLASSIFICATION) {
            throw new BadInputException("--pair is for a sequence classification head, not " + head.architecture());
        }
        if ((context != null) != (head == HeadKind.QUESTION_ANSWERING)) {
            throw new BadInputException(context == null ? "--context is needed: ElectraForQuestionAnswering takes the "
                    + "answer from a passage (--text is the question)" : "--context is for a question answering head, not "
                    + head.architecture());
        }
        WordPieceTokenizer tokenizer = WordPieceTokenizer.uncased(vocabTxt);
        String second = context != null ? context : pair;
        Encoding enc = second == null ? tokenizer.encode(text) : tokenizer.encode(text, second);
        int n = enc.ids().length;
        if (n > config.maxPositionEmbeddings()) {
            throw new BadInputException("--text is " + n + " tokens; the model takes at most " + config.maxPositionEmbeddings());
        }
        for (int id : enc.ids()) {
            if (id >= config.vocabSize()) {
                throw new BadInputException(vocabTxt + ": token id " + id + " is outside the model's vocabulary of " + config.vocabSize());
            }
        }
        if (head == HeadKind.MASKED_LM && !tokenizer.vocabulary().contains("[MASK]")) {
            throw new BadInputException(vocabTxt + ": vocab file has no [MASK] token, so the generator has nothing to fill");
        }
        List<Integer> masks = IntStream.range(0, n).filter(i -> enc.tokens().get(i).equals("[MASK]")).boxed().toList();
        if (head == HeadKind.MASKED_LM && masks.isEmpty()) {
            throw new BadInputException("--text has no [MASK] token for the generator to fill");
        }
        ElectraModel model = folder.load(Optional.empty());
        int[] types = config.typeVocabSize() >= 2 ? enc.typeIds() : new int[n];
        ModelOutput output = model.forward(new ModelInput(new int[] {1, n}, enc.ids(), types, enc.attentionMask()));
        ObjectNode report = JsonKind.PREDICTION.start();
        report.put("folder", dir.toString()).put("architecture", head.architecture()).put("text", text);
        if (second != null) {
            report.put(context != null ? "context" : "pair", second);
        }
        enc.tokens().forEach(report.putArray("tokens")::add);
        if (head == HeadKind.QUESTION_ANSWERING) {
            report.set("answer", answer(enc, output.logits("start_logits").data(), output.logits("end_logits").data()));
        } else if (head == HeadKind.SEQUENCE_CLASSIFICATION) {
            float[] logits = output.logits("logits").data();
            if ("regression".equals(config.problemType())) {
                report.put("score", logits[0]);
            } else {
                double[] p = softmax(logits, 0, logits.length);
                ArrayNode labels = report.putArray("labels");
                for (int id : ranked(p, top)) {
                    labels.addObject().put("id", id).put("label", config.labels().get(id)).put("probability", p[id]);
                }
            }
        } else if (head == HeadKind.TOKEN_CLASSIFICATION) {
            float[] logits = output.logits("logits").data();
            int count = config.labels().size();
            ArrayNode tags = report.putArray("tags");
            for (int i = 0; i < n; i++) {
                double[] p = softmax(logits, i * count, count);
                int best = ranked(p, 1).get(0);
                tags.addObject().put("position", i).put("token", enc.tokens().get(i)).put("label", config.labels().get(best))
                        .put("probability", p[best]);
            }
        } else if (head == HeadKind.MASKED_LM) {
            Tensor logits = output.logits("logits");
            ArrayNode predictions = report.putArray("masks");
            int vocab = config.vocabSize();
            for (int pos : masks) {
                double[] p = softmax(logits.data(), pos * vocab, vocab);
                ArrayNode candidates = predictions.addObject().put("position", pos).putArray("candidates");
                for (int id : ranked(p, top)) {
                    // a model may have more rows than its vocab.txt has lines: such an id has no token
                    String token = id < tokenizer.vocabulary().size() ? tokenizer.vocabulary().token(id) : null;
                    candidates.addObject().put("id", id).put("token", token).put("probability", p[id]);
                }
            }
        } else {
            float[] logits = output.logits("logits").data();
            ArrayNode replaced = report.putArray("replaced");
            for (int i = 0; i < n; i++) {
                replaced.addObject().put("position", i).put("token", enc.tokens().get(i))
                        .put("probability", 1.0 / (1.0 + Math.exp(-logits[i])));
            }
        }
        if (json) {
            JsonOutput.print(out, report);
        } else {
            printText(report, out);
        }
        return ExitCodes.OK;
    }

    private static void printText(ObjectNode report, PrintWriter out) {
        out.println("tokens: " + String.join(" ", StreamSupport.stream(report.get("tokens").spliterator(), false)
                .map(JsonNode::asText).toList()));
        if (report.has("masks")) {
            int m = 0;
            for (JsonNode mask : report.get("masks")) {
                out.printf(Locale.ROOT, "[MASK] %d at position %d:%n", ++m, mask.get("position").asInt());
                int k = 0;
                for (JsonNode c : mask.get("candidates")) {
                    String token = c.get("token").isNull() ? "<id " + c.get("id").asInt() + ">" : c.get("token").asText();
                    out.printf(Locale.ROOT, "  %d. %-20s %.4f%n", ++k, token, c.get("probability").asDouble());
                }
            }
        } else if (report.has("replaced")) {
            out.printf(Locale.ROOT, "%-20s %s%n", "token", "p(replaced)");
            for (JsonNode t : report.get("replaced")) {
                out.printf(Locale.ROOT, "%-20s %.4f%n", t.get("token").asText(), t.get("probability").asDouble());
            }
        } else if (report.has("labels")) {
            out.printf(Locale.ROOT, "%-20s %s%n", "label", "probability");
            for (JsonNode l : report.get("labels")) {
                out.printf(Locale.ROOT, "%-20s %.4f%n", l.get("label").asText(), l.get("probability").asDouble());
            }
        } else if (report.has("score")) {
            out.printf(Locale.ROOT, "score: %.6f%n", report.get("score").asDouble());
        } else if (report.has("tags")) {
            out.printf(Locale.ROOT, "%-20s %-20s %s%n", "token", "tag", "probability");
            for (JsonNode t : report.get("tags")) {
                out.printf(Locale.ROOT, "%-20s %-20s %.4f%n", t.get("token").asText(), t.get("label").asText(),
                        t.get("probability").asDouble());
            }
        } else {
            JsonNode a = report.get("answer");
            out.printf(Locale.ROOT, "answer: %s (tokens %d to %d, start + end logit %.4f)%n", a.get("text").asText(),
                    a.get("start").asInt(), a.get("end").asInt(), a.get("score").asDouble());
        }
        out.flush();
    }

    /** The {@code k} most probable indices, most probable first (ties: the lower index). */
    private static List<Integer> ranked(double[] p, int k) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, p.length).boxed().toList());
        order.sort(Comparator.comparingDouble((Integer i) -> -p[i]).thenComparingInt(i -> i));
        return order.subList(0, Math.min(k, p.length));
    }

    /**
     * The span of the context (token type 1, its final [SEP] excluded) with the highest start + end logit, start not
     * after end and at most {@link #MAX_ANSWER_TOKENS} long: how google-research/electra's SQuAD task and
     * transformers' question-answering pipeline pick an answer.
     */
    private static ObjectNode answer(Encoding enc, float[] start, float[] end) {
        int n = enc.ids().length;
        int best = -1;
        int bestEnd = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n - 1; i++) {
            if (enc.typeIds()[i] != 1) {
                continue;
            }
            for (int j = i; j < Math.min(n - 1, i + MAX_ANSWER_TOKENS); j++) {
                if (start[i] + end[j] > bestScore) {
                    bestScore = start[i] + end[j];
                    best = i;
                    bestEnd = j;
                }
            }
        }
        if (best < 0) {
            throw new BadInputException("--context has no tokens to answer from");
        }
        StringBuilder text = new StringBuilder();
        for (int i = best; i <= bestEnd; i++) {
            String token = enc.tokens().get(i);
            text.append(token.startsWith("##") ? token.substring(2) : (text.length() > 0 ? " " : "") + token);
        }
        return JsonMappers.PRETTY.createObjectNode().put("text", text.toString()).put("start", best).put("end", bestEnd)
                .put("score", bestScore);
    }

    private static double[] softmax(float[] logits, int from, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, logits[from + i]);
        }
        double[] p = new double[count];
        double sum = 0;
        for (int i = 0; i < count; i++) {
            p[i] = Math.exp(logits[from + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < count; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
