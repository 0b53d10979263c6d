package io.electraconvert.cli;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.electra.Hparams;
import io.electraconvert.verify.kernels.MatMul;
import io.electraconvert.verify.model.ElectraModel;
import io.electraconvert.verify.model.ModelFolder;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.verify.model.ModelInput;
import io.electraconvert.verify.model.ModelOutput;
import io.electraconvert.verify.model.Tensor;
import io.electraconvert.verify.tokenizer.Encoding;
import io.electraconvert.verify.tokenizer.WordPieceTokenizer;
import io.electraconvert.verify.weights.HfFolderWeightSource;
import io.electraconvert.hf.folder.HfModelFolder;
import io.electraconvert.hf.weights.StoredTensor;
import io.electraconvert.verify.weights.TfCheckpointWeightSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verify CKPT DIR --model discriminator|generator}: the converted folder against the checkpoint itself. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check that a converted HuggingFace folder computes what the TensorFlow checkpoint computes: "
                + "both are run by the built-in Java forward pass on the same deterministic inputs and every hidden "
                + "state (hidden_states[0] = embeddings, then each encoder layer) and the final logits are compared.",
                "The original side uses the config inferred from the checkpoint's tensors (and --hparams); the "
                + "converted side uses DIR/config.json and DIR's weights (any format; --format picks one), so a wrong value in config.json "
                + "(e.g. num_attention_heads) shows up as a divergence.",
                "Inputs: 3 seeded random sequences with padding and both token types, one random sequence of "
                + "max_position_embeddings tokens, and --text (default: a short sentence) tokenized with "
                + "DIR/vocab.txt when that file exists.",
                "An element passes when |converted - original| <= tolerance * max(1, |original|). Default tolerance: "
                + "1e-5 for float32 weights, 1e-2 if the weights hold F16 tensors, 5e-2 for BF16."},
        footer = {"", "Exit codes: 0 within tolerance, 1 bad input (missing folder, config or weights), "
                + "3 parity failure (stderr names the first diverging tensor).", "", "Examples:",
                "  electra-convert verify testdata/checkpoints/small out/disc --model discriminator --hparams testdata/checkpoints/small/hparams.json",
                "  electra-convert verify ckpt/electra_small out/gen --model generator --report parity.json"})
final class VerifyCommand implements Callable<Integer> {
    static final double FLOAT32_TOLERANCE = 1e-5;
    static final double FLOAT16_TOLERANCE = 1e-2;
    static final double BFLOAT16_TOLERANCE = 5e-2;
    static final String DEFAULT_TEXT = "the quick brown fox jumps over the lazy dog.";
    private static final long SEED = 0x5EED_E1EC7L;

    @Parameters(index = "0", paramLabel = "CKPT", description = "Checkpoint prefix (model.ckpt-N) or directory.")
    Path checkpoint;

    @Parameters(index = "1", paramLabel = "DIR", description = "The converted HuggingFace model folder.")
    Path dir;

    @Option(names = "--model", required = true, paramLabel = "discriminator|generator",
            description = "Which network of the checkpoint DIR holds.", converter = ConvertCommand.NetworkConverter.class)
    ElectraNetwork network;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Also write the comparison as JSON.")
    Path report;

    @Option(names = "--tolerance", paramLabel = "X", converter = OptionValues.NonNegativeNumber.class,
            description = "Allowed difference (default 1e-5 for F32 weights, 1e-2 for F16, 5e-2 for BF16).")
    Double tolerance;

    @Option(names = "--format", paramLabel = "safetensors|pytorch|tf",
            description = "Which weights of DIR to check (default: the ones transformers would load first).")
    String format;

    @Option(names = "--text", paramLabel = "TEXT", description = "Text to add to the inputs (needs DIR/vocab.txt).")
    String text;

    @Option(names = "--hparams", paramLabel = "FILE",
            description = "The hparams used for conversion (the original's heads and activation come from here).")
    Path hparams;

    @Spec
    CommandSpec spec;

    /** One input of the battery. */
    record Case(String name, ModelInput input) {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + ": no such folder");
        }
        Path configJson = dir.resolve("config.json");
        Path vocabTxt = dir.resolve("vocab.txt");
        if (!Files.isRegularFile(configJson)) {
            throw new BadInputException(configJson + ": not found (not a converted model folder?)");
        }
        if (text != null && !Files.isRegularFile(vocabTxt)) {
            throw new BadInputException(vocabTxt + ": not found; --text needs the folder's vocabulary");
        }
        Optional<Hparams> hp = Optional.ofNullable(hparams).map(Hparams::read);
        // the folder's config must at least be readable JSON with sane integers (one-line error otherwise)
        ElectraConfig folderConfig = ElectraConfig.read(configJson);
        HeadKind head = network.head();
        if (!folderConfig.architectures().isEmpty() && !folderConfig.architectures().contains(network.hfArchitecture())) {
            throw new BadInputException(configJson + ": architectures " + folderConfig.architectures() + " is not the "
                    + network.cliName() + " (" + network.hfArchitecture() + ")");
        }

        ElectraModel original;
        ElectraConfig planConfig;
        try (TfCheckpointWeightSource source = TfCheckpointWeightSource.open(checkpoint, network, hp)) {
            planConfig = source.plan().config();
            original = ElectraModel.load(source.modelConfig(), source, head);
        }
        HfFolderWeightSource folderWeights = HfFolderWeightSource.open(dir, Optional.ofNullable(format));
        String weightsDtype = weightsDtype(folderWeights.folder());
        double tol = tolerance != null ? tolerance
                : switch (weightsDtype) {
                    case "F16" -> FLOAT16_TOLERANCE;
                    case "BF16" -> BFLOAT16_TOLERANCE;
                    default -> FLOAT32_TOLERANCE;
                };
        List<String> configDiffs = configDifferences(planConfig, folderConfig);
        List<Case> cases = battery(original.config(), vocabTxt);

        ElectraModel converted;
        try (HfFolderWeightSource source = folderWeights) {
            converted = ElectraModel.load(ModelFolder.open(dir).config(), source, head);
        } catch (BadInputException e) {
            // the folder's config and weights do not fit together: the conversion is wrong, not the user's input
            String why = "converted model does not load: " + e.getMessage() + hint(configDiffs);
            writeReport(weightsDtype, tol, cases, List.of(), null, configDiffs, why);
            err.println("electra-convert: parity failure: " + why);
            err.flush();
            return ExitCodes.PARITY_FAILURE;
        }

        List<TensorComparison> all = new ArrayList<>();
        long[] top1 = {0, 0};
        for (Case c : cases) {
            ModelOutput a = original.forward(c.input());
            ModelOutput b;
            try {
                b = converted.forward(c.input());
            } catch (BadInputException e) {
                String why = "converted model fails on input " + c.name() + ": " + e.getMessage() + hint(configDiffs);
                writeReport(weightsDtype, tol, cases, all, null, configDiffs, why);
                err.println("electra-convert: parity failure: " + why);
                err.flush();
                return ExitCodes.PARITY_FAILURE;
            }
            int layers = Math.max(a.hiddenStates().size(), b.hiddenStates().size());
            for (int i = 0; i < layers; i++) {
                all.add(TensorComparison.of("hidden_states[" + i + "]", c.name(), at(a.hiddenStates(), i),
                        at(b.hiddenStates(), i), tol));
            }
            Tensor la = a.logits().get("logits");
            Tensor lb = b.logits().get("logits");
            all.add(TensorComparison.of("logits", c.name(), la, lb, tol));
            if (network == ElectraNetwork.GENERATOR && la != null && lb != null
                    && Arrays.equals(la.shape(), lb.shape())) {
                countTop1(la, lb, c.input().attentionMask(), top1);
            }
        }
        // per tensor, worst over the inputs, in forward order (hidden_states[0..L], logits)
        Map<String, TensorComparison> summary = new LinkedHashMap<>();
        for (TensorComparison c : all) {
            summary.merge(c.tensor(), c, TensorComparison::worst);
        }
        List<TensorComparison> ordered = new ArrayList<>(summary.values());
        TensorComparison first = ordered.stream().filter(c -> !c.pass()).findFirst().orElse(null);

        out.printf("verify %s: %s vs %s (%s weights, tolerance %.0e, %s matmul)%n", network.cliName(), checkpoint, dir,
                weightsDtype, tol, MatMul.vectorAvailable() ? "vector" : "scalar");
        for (Case c : cases) {
            out.printf("  input %s%n", c.name());
        }
        out.printf("%-30s %12s %12s %10s  %s%n", "tensor", "max abs diff", "max rel diff", "cosine", "");
        for (TensorComparison c : ordered) {
            out.printf("%-30s %12s %12s %10s  %s%n", label(c.tensor(), original.config().numHiddenLayers()),
                    num(c.maxAbsDiff()), num(c.maxRelDiff()),
                    Double.isNaN(c.cosine()) ? "-" : String.format(Locale.ROOT, "%.6f", c.cosine()),
                    c.pass() ? "ok" : c.shapeMismatch() != null ? "FAIL (" + c.shapeMismatch() + ")" : "FAIL");
        }
        if (network == ElectraNetwork.GENERATOR && top1[1] > 0) {
            out.printf(Locale.ROOT, "top-1 agreement: %d/%d (%.2f%%)%n", top1[0], top1[1], 100.0 * top1[0] / top1[1]);
        }
        writeReport(weightsDtype, tol, cases, all, first, configDiffs, null, ordered, top1);
        if (first == null) {
            out.println("PASS: the converted model matches the checkpoint within " + String.format("%.0e", tol));
            out.flush();
            return ExitCodes.OK;
        }
        out.println("FAIL");
        out.flush();
        err.println("electra-convert: parity failure: first diverging tensor is " + describe(first, original.config().numHiddenLayers(), tol)
                + hint(configDiffs));
        err.flush();
        return ExitCodes.PARITY_FAILURE;
    }

    private static Tensor at(List<Tensor> list, int i) {
        return i < list.size() ? list.get(i) : null;
    }

    /** {@code hidden_states[0]} is the embeddings output, {@code hidden_states[i]} encoder layer i-1's. */
    static String label(String tensor, int layers) {
        if (tensor.startsWith("hidden_states[")) {
            int i = Integer.parseInt(tensor.substring("hidden_states[".length(), tensor.length() - 1));
            return tensor + (i == 0 ? " (embeddings)" : " (layer " + (i - 1) + ")");
        }
        return tensor;
    }

    private static String describe(TensorComparison c, int layers, double tol) {
        String what = label(c.tensor(), layers).replace("(layer ", "(encoder layer ");
        if (c.shapeMismatch() != null) {
            return what + " on input " + c.input() + ": " + c.shapeMismatch();
        }
        return what + " on input " + c.input() + ": max abs diff " + num(c.maxAbsDiff()) + ", max rel diff "
                + num(c.maxRelDiff()) + " > tolerance " + String.format("%.0e", tol)
                + String.format(Locale.ROOT, " (cosine %.6f)", c.cosine());
    }

    private static String hint(List<String> configDiffs) {
        return configDiffs.isEmpty() ? "" : "; config.json differs from the checkpoint: " + String.join(", ", configDiffs);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.3e", v);
    }

    private static void countTop1(Tensor a, Tensor b, int[] mask, long[] counts) {
        int[] shape = a.shape();
        int vocab = shape[shape.length - 1];
        int positions = a.data().length / vocab;
        for (int p = 0; p < positions; p++) {
            if (mask[p] == 0) {
                continue;
            }
            counts[1]++;
            if (argmax(a.data(), p * vocab, vocab) == argmax(b.data(), p * vocab, vocab)) {
                counts[0]++;
            }
        }
    }

    static int argmax(float[] values, int from, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (values[from + i] > values[from + best]) {
                best = i;
            }
        }
        return best;
    }

    /** The widest-but-float32 dtype present decides the default tolerance: any F16 or BF16 tensor loosens it. */
    private static String weightsDtype(HfModelFolder folder) {
        boolean f16 = false;
        boolean bf16 = false;
        for (StoredTensor t : folder.tensors().values()) {
            f16 |= t.dtype() == DType.FLOAT16;
            bf16 |= t.dtype() == DType.BFLOAT16;
        }
        return bf16 ? "BF16" : f16 ? "F16" : "F32";
    }

    private static List<String> configDifferences(ElectraConfig plan,
            ElectraConfig folder) {
        List<String> diffs = new ArrayList<>();
        diff(diffs, "vocab_size", folder.vocabSize(), plan.vocabSize());
        diff(diffs, "embedding_size", folder.embeddingSize(), plan.embeddingSize());
        diff(diffs, "hidden_size", folder.hiddenSize(), plan.hiddenSize());
        diff(diffs, "num_hidden_layers", folder.numHiddenLayers(), plan.numHiddenLayers());
        diff(diffs, "num_attention_heads", folder.numAttentionHeads(), plan.numAttentionHeads());
        diff(diffs, "intermediate_size", folder.intermediateSize(), plan.intermediateSize());
        diff(diffs, "hidden_act", folder.hiddenAct(), plan.hiddenAct());
        diff(diffs, "max_position_embeddings", folder.maxPositionEmbeddings(), plan.maxPositionEmbeddings());
        diff(diffs, "type_vocab_size", folder.typeVocabSize(), plan.typeVocabSize());
        diff(diffs, "layer_norm_eps", folder.layerNormEps(), plan.layerNormEps());
        return diffs;
    }

    private static void diff(List<String> diffs, String key, Object folder, Object plan) {
        if (!folder.equals(plan)) {
            diffs.add(key + " " + folder + " (checkpoint: " + plan + ")");
        }
    }

    /** Deterministic inputs: padded random batch, one max-length sequence, the text if there is a vocabulary. */
    private List<Case> battery(ElectraConfig config, Path vocabTxt) {
        Random random = new Random(SEED);
        int vocab = config.vocabSize();
        boolean twoTypes = config.typeVocabSize() >= 2;
        int t = Math.min(16, config.maxPositionEmbeddings());
        int batch = 3;
        int[] ids = new int[batch * t];
        int[] types = new int[batch * t];
        int[] mask = new int[batch * t];
        int[] lengths = {t, Math.max(1, 2 * t / 3), Math.max(1, t / 3)};
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < lengths[b]; i++) {
                ids[b * t + i] = randomId(random, vocab);
                types[b * t + i] = twoTypes && i >= lengths[b] / 2 ? 1 : 0;
                mask[b * t + i] = 1;
            }
        }
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("random[" + batch + "x" + t + "] (padded to " + lengths[0] + "/" + lengths[1] + "/"
                + lengths[2] + ", token types 0/1)", new ModelInput(new int[] {batch, t}, ids, types, mask)));

        int max = config.maxPositionEmbeddings();
        int[] longIds = new int[max];
        int[] longTypes = new int[max];
        int[] longMask = new int[max];
        for (int i = 0; i < max; i++) {
            longIds[i] = randomId(random, vocab);
            longTypes[i] = twoTypes && i >= max / 2 ? 1 : 0;
            longMask[i] = 1;
        }
        cases.add(new Case("max-length[1x" + max + "]", new ModelInput(new int[] {1, max}, longIds, longTypes, longMask)));

        if (Files.isRegularFile(vocabTxt)) {
            String sentence = text != null ? text : DEFAULT_TEXT;
            Encoding enc = WordPieceTokenizer.uncased(vocabTxt).encode(sentence);
            int n = Math.min(enc.ids().length, max);
            int[] textIds = Arrays.copyOf(enc.ids(), n);
            for (int id : textIds) {
                if (id >= vocab) {
                    throw new BadInputException(vocabTxt + ": token id " + id + " is outside the model's vocabulary of "
                            + vocab);
                }
            }
            int[] textTypes = twoTypes ? Arrays.copyOf(enc.typeIds(), n) : new int[n];
            cases.add(new Case("text[1x" + n + "] \"" + abbreviate(sentence) + "\"",
                    new ModelInput(new int[] {1, n}, textIds, textTypes, Arrays.copyOf(enc.attentionMask(), n))));
        }
        return cases;
    }

    private static int randomId(Random random, int vocab) {
        return vocab > 1 ? 1 + random.nextInt(vocab - 1) : 0;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private void writeReport(String dtype, double tol, List<Case> cases, List<TensorComparison> all,
            TensorComparison first, List<String> configDiffs, String loadFailure) throws IOException {
        writeReport(dtype, tol, cases, all, first, configDiffs, loadFailure, List.of(), new long[] {0, 0});
    }

    private void writeReport(String dtype, double tol, List<Case> cases, List<TensorComparison> all,
            TensorComparison first, List<String> configDiffs, String loadFailure, List<TensorComparison> summary,
            long[] top1) throws IOException {
        if (report == null) {
            return;
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("checkpoint", checkpoint.toString());
        root.put("folder", dir.toString());
        root.put("model", network.cliName());
        root.put("weights_dtype", dtype);
        root.put("tolerance", tol);
        root.put("tolerance_rule", "|converted - original| <= tolerance * max(1, |original|)");
        boolean pass = loadFailure == null && first == null;
        root.put("pass", pass);
        ArrayNode inputs = root.putArray("inputs");
        for (Case c : cases) {
            ObjectNode n = inputs.addObject();
            n.put("name", c.name());
            ArrayNode shape = n.putArray("shape");
            Arrays.stream(c.input().shape()).forEach(shape::add);
        }
        ArrayNode diffs = root.putArray("config_differences");
        configDiffs.forEach(diffs::add);
        if (loadFailure != null) {
            root.put("load_failure", loadFailure);
        }
        if (first != null) {
            root.set("first_divergence", comparison(json, first));
        } else if (loadFailure != null) {
            ObjectNode n = root.putObject("first_divergence");
            n.put("tensor", "(model load)");
            n.put("reason", loadFailure);
        } else {
            root.putNull("first_divergence");
        }
        ArrayNode sum = root.putArray("summary");
        summary.forEach(c -> sum.add(comparison(json, c)));
        ArrayNode comps = root.putArray("comparisons");
        all.forEach(c -> comps.add(comparison(json, c)));
        if (network == ElectraNetwork.GENERATOR && top1[1] > 0) {
            ObjectNode n = root.putObject("top1_agreement");
            n.put("agree", top1[0]);
            n.put("positions", top1[1]);
            n.put("fraction", (double) top1[0] / top1[1]);
        }
        if (report.toAbsolutePath().getParent() != null) {
            Files.createDirectories(report.toAbsolutePath().getParent());
        }
        Files.writeString(report, json.writeValueAsString(root) + "\n");
    }

    private static ObjectNode comparison(ObjectMapper json, TensorComparison c) {
        ObjectNode n = json.createObjectNode();
        n.put("tensor", c.tensor());
        n.put("input", c.input());
        putNumber(n, "max_abs_diff", c.maxAbsDiff());
        putNumber(n, "max_rel_diff", c.maxRelDiff());
        putNumber(n, "cosine", c.cosine());
        n.put("pass", c.pass());
        if (c.shapeMismatch() != null) {
            n.put("shape_mismatch", c.shapeMismatch());
        }
        return n;
    }

    private static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key); // JSON has no NaN
        }
    }
}
