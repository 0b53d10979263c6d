package io.electraconvert.cli;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.error.BadInputException;
import io.electraconvert.verify.model.ElectraModel;
import io.electraconvert.verify.model.ModelFolder;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.verify.model.ModelInput;
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
                + "Discriminator (ElectraForPreTraining): each token with its probability of having been replaced."},
        footer = {"", "Examples:",
                "  electra-convert predict out/gen --text \"the quick brown [MASK] jumps\"",
                "  electra-convert predict out/disc --text \"the quick brown dog jumps\" --json"})
final class PredictCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A converted HuggingFace model folder (config.json, weights in any format, vocab.txt).")
    Path dir;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "The sentence; use [MASK] for a generator.")
    String text;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", converter = OptionValues.PositiveInt.class,
            description = "Candidates per [MASK] (default: ${DEFAULT-VALUE}).")
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
        if (head != HeadKind.MASKED_LM && head != HeadKind.PRETRAINING) {
            throw new BadInputException(dir.resolve("config.json"), "predict needs ElectraForMaskedLM (generator) or "
                    + "ElectraForPreTraining (discriminator), not " + head.architecture());
        }
        WordPieceTokenizer tokenizer = WordPieceTokenizer.uncased(vocabTxt);
        Encoding enc = tokenizer.encode(text);
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
        Tensor logits = model.forward(new ModelInput(new int[] {1, n}, enc.ids(), types, enc.attentionMask())).logits("logits");
        ObjectNode report = JsonKind.PREDICTION.start();
        report.put("folder", dir.toString()).put("architecture", head.architecture()).put("text", text);
        enc.tokens().forEach(report.putArray("tokens")::add);
        if (head == HeadKind.MASKED_LM) {
            ArrayNode predictions = report.putArray("masks");
            int vocab = config.vocabSize();
            for (int pos : masks) {
                double[] p = softmax(logits.data(), pos * vocab, vocab);
                List<Integer> best = new ArrayList<>(IntStream.range(0, vocab).boxed().toList());
                best.sort(Comparator.comparingDouble((Integer i) -> -p[i]).thenComparingInt(i -> i));
                ArrayNode candidates = predictions.addObject().put("position", pos).putArray("candidates");
                for (int k = 0; k < Math.min(top, vocab); k++) {
                    int id = best.get(k);
                    // a model may have more rows than its vocab.txt has lines: such an id has no token
                    String token = id < tokenizer.vocabulary().size() ? tokenizer.vocabulary().token(id) : null;
                    candidates.addObject().put("id", id).put("token", token).put("probability", p[id]);
                }
            }
        } else {
            ArrayNode replaced = report.putArray("replaced");
            for (int i = 0; i < n; i++) {
                replaced.addObject().put("position", i).put("token", enc.tokens().get(i))
                        .put("probability", 1.0 / (1.0 + Math.exp(-logits.data()[i])));
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
        } else {
            out.printf(Locale.ROOT, "%-20s %s%n", "token", "p(replaced)");
            for (JsonNode t : report.get("replaced")) {
                out.printf(Locale.ROOT, "%-20s %.4f%n", t.get("token").asText(), t.get("probability").asDouble());
            }
        }
        out.flush();
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
