package io.electraconvert.verify.parity;

import io.electraconvert.error.BadInputException;
import io.electraconvert.error.ElectraConvertException;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.folder.HfModelFolder;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.hf.weights.StoredTensor;
import io.electraconvert.tensor.DType;
import io.electraconvert.verify.kernels.KernelWarmUp;
import io.electraconvert.verify.kernels.MatMul;
import io.electraconvert.verify.kernels.MatMulKernel;
import io.electraconvert.verify.model.LayerwiseModel;
import io.electraconvert.verify.model.ModelFolder;
import io.electraconvert.verify.model.ModelInput;
import io.electraconvert.verify.model.StagedModel;
import io.electraconvert.verify.model.Tensor;
import io.electraconvert.verify.original.OriginalCheckpoint;
import io.electraconvert.verify.original.OriginalConfig;
import io.electraconvert.verify.original.OriginalElectra;
import io.electraconvert.verify.original.OriginalNetwork;
import io.electraconvert.verify.parity.InputBattery.Case;
import io.electraconvert.verify.parity.InputBattery.Sweep;
import io.electraconvert.verify.parity.ParityReport.ConfigCheck;
import io.electraconvert.verify.parity.ParityReport.FormatResult;
import io.electraconvert.verify.parity.ParityReport.InputSummary;
import io.electraconvert.verify.weights.HfFolderWeightSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Verifies a converted HuggingFace folder against the TensorFlow checkpoint it was made from: both run the same
 * deterministic inputs ({@link InputBattery}) and every hidden state and head output is compared. The checkpoint's
 * side is {@link OriginalElectra}, google-research/electra transcribed independently of the converter; the folder's
 * is transformers' forward pass reading it by HF names, once per weight format it holds. Both go stage by stage in
 * lockstep (embeddings, layer 0, ..., head), each stage's weights read when it runs and dropped after, so memory
 * stays near one stage of each side whatever the depth.
 *
 * <pre>{@code
 * ParityReport report = ParityCheck.run(ParityRequest.of(Path.of("model_dir"), Path.of("out/disc"), "discriminator"));
 * if (!report.pass()) {
 *     throw new IllegalStateException(report.failure().get());
 * }
 * }</pre>
 * A file that is missing, unreadable or not what it claims is an {@link ElectraConvertException}; a folder that
 * reads but computes something else is a report that does not pass.
 */
public final class ParityCheck {
    public static final double FLOAT32_TOLERANCE = 1e-5;
    public static final double FLOAT16_TOLERANCE = 1e-2;
    public static final double BFLOAT16_TOLERANCE = 5e-2;

    private ParityCheck() {}

    /** With the kernel for the model's width ({@link MatMul#kernelFor}). */
    public static ParityReport run(ParityRequest request) {
        return check(request, MatMul::kernelFor);
    }

    /** With an explicit matmul kernel (tests run both). */
    public static ParityReport run(ParityRequest request, MatMulKernel kernel) {
        return check(request, hidden -> kernel);
    }

    private static ParityReport check(ParityRequest request, IntFunction<MatMulKernel> kernelForWidth) {
        ModelFolder folder = ModelFolder.open(request.folder());
        try (OriginalCheckpoint checkpoint = OriginalCheckpoint.open(request.checkpoint())) {
            OriginalNetwork network = OriginalNetwork.locate(checkpoint, request.network(), request.task(),
                    originalHeadOf(folder.head()));
            HeadKind expected = hfHeadOf(network.head());
            if (folder.head() != expected) {
                throw new BadInputException(request.folder().resolve("config.json"), "architectures names "
                        + folder.head().architecture() + ", but the checkpoint's " + network.name() + " is an "
                        + expected.architecture());
            }
            OriginalConfig config = OriginalConfig.of(checkpoint, network, request.hparams());
            MatMulKernel kernel = kernelForWidth.apply(config.hiddenSize());
            if (MatMul.name(kernel).equals("vector")) {
                KernelWarmUp.start(kernel); // while the vocabulary sweep and the first layers' weights are read
            }
            List<ConfigCheck> configChecks = compare(config, folder.config());
            List<Case> cases = InputBattery.of(config.vocabSize(), config.typeVocabSize(), config.maxPositionEmbeddings(),
                    folder.vocab(), request.text());
            Sweep sweep = InputBattery.vocabularySweep(config.vocabSize(), config.typeVocabSize(),
                    config.maxPositionEmbeddings(), Math.max(config.embeddingSize(), config.hiddenSize()));
            List<String> formats = formats(request);
            List<Side> sides = new ArrayList<>();
            try {
                for (String format : formats) {
                    sides.add(Side.open(request, folder, format, kernel)); // closed below even if a later one fails
                }
                runLockstep(new OriginalElectra(checkpoint, network, config, kernel), sides, sweep, cases, folder.head());
            } finally {
                sides.forEach(Side::close);
            }
            List<FormatResult> results = sides.stream().map(Side::result).toList();
            ParityReport draft = new ParityReport(request.checkpoint(), request.folder(), network.name(),
                    inputSummaries(sweep, cases), configChecks, results,
                    request.strict(), MatMul.name(kernel), Optional.empty());
            return new ParityReport(draft.checkpoint(), draft.folder(), draft.network(), draft.inputs(), draft.config(),
                    draft.formats(), draft.strict(), draft.matmul(), failure(draft));
        }
    }

    private static List<InputSummary> inputSummaries(Sweep sweep, List<Case> cases) {
        List<InputSummary> inputs = new ArrayList<>();
        inputs.add(new InputSummary(sweep.name(), sweep.shape(), 0));
        cases.forEach(c -> inputs.add(new InputSummary(c.name(), c.input().shape(), c.layers())));
        return inputs;
    }

    /** The formats to check: the requested ones, each of which must be there, or every one present. */
    private static List<String> formats(ParityRequest request) {
        List<String> present = HfModelFolder.formatsPresent(request.folder());
        if (request.formats().isEmpty()) {
            if (present.isEmpty()) {
                HfModelFolder.open(request.folder(), Optional.empty()).close(); // says what it looked for
            }
            return present;
        }
        for (String f : request.formats()) {
            if (!present.contains(f)) {
                HfModelFolder.open(request.folder(), Optional.of(f)).close();
            }
        }
        return request.formats();
    }

    /**
     * The vocabulary sweep through the embeddings, chunk by chunk; then the cases stage by stage, the original
     * once and each format's model after it: embeddings, each layer (a case leaves after its depth), the head.
     */
    private static void runLockstep(OriginalElectra original, List<Side> sides, Sweep sweep, List<Case> cases,
            HeadKind head) {
        ExecutorService originalThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "verify-original");
            t.setDaemon(true);
            return t;
        });
        try {
            runLockstep(original, sides, sweep, cases, head, originalThread);
        } finally {
            originalThread.shutdownNow();
        }
    }

    /** The value, or what computing it threw, as thrown. */
    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static void runLockstep(OriginalElectra original, List<Side> sides, Sweep sweep, List<Case> cases,
            HeadKind head, ExecutorService originalThread) {
        // each side's embedding tables, and the original's, are read once for the sweep and the cases' first stage;
        // the original's output of each chunk is computed once for every side
        StagedModel.EmbeddingStage theirs = original.embeddings();
        for (ModelInput chunk : sweep.chunks()) {
            float[] expected = theirs.apply(chunk);
            for (Side side : sides) {
                side.sweep(chunk, expected, sweep.name());
            }
        }
        List<Case> active = cases;
        List<ModelInput> firstInputs = inputs(active);
        List<float[]> reference = firstInputs.stream().map(theirs::apply).toList();
        List<float[]> embedded = reference;
        for (Side side : sides) {
            side.endSweep(sweep.name());
            side.step(() -> embedded, active, 0, s -> side.embed(firstInputs));
        }
        int layers = Math.max(original.numLayers(), sides.stream().mapToInt(Side::layers).max().orElse(0));
        for (int l = 0; l < layers; l++) {
            int layer = l;
            Predicate<Case> deepEnough = c -> c.layers() > layer;
            reference = select(reference, active, deepEnough);
            for (Side side : sides) {
                side.select(active, deepEnough);
            }
            active = active.stream().filter(deepEnough).toList();
            if (active.isEmpty()) {
                break;
            }
            List<ModelInput> inputs = inputs(active);
            List<float[]> previous = reference;
            // the original's layer on a thread of its own while the sides run theirs: reading, decoding and packing
            // a layer's weights is single-threaded, so two of them overlap on a 2-core machine
            CompletableFuture<List<float[]>> next = previous == null || l >= original.numLayers()
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.supplyAsync(() -> original.layer(layer, previous, inputs), originalThread);
            for (Side side : sides) {
                side.step(() -> joined(next), active, layer + 1,
                        s -> layer < s.numLayers() && side.hidden != null ? s.layer(layer, side.hidden, inputs) : null);
            }
            reference = joined(next);
        }
        if (original.numLayers() == layers && reference != null) {
            reference = select(reference, active, Case::throughHead);
            for (Side side : sides) {
                side.select(active, Case::throughHead);
            }
            List<Case> last = active.stream().filter(Case::throughHead).toList();
            List<Map<String, Tensor>> expected = original.head(reference, inputs(last));
            for (Side side : sides) {
                side.compareHead(expected, last, head);
            }
        }
    }

    private static List<ModelInput> inputs(List<Case> cases) {
        return cases.stream().map(Case::input).toList();
    }

    /** The entries of {@code values} (one per case; null: none) whose case passes {@code keep}. */
    static List<float[]> select(List<float[]> values, List<Case> cases, Predicate<Case> keep) {
        if (values == null) {
            return null;
        }
        List<float[]> kept = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            if (keep.test(cases.get(i))) {
                kept.add(values.get(i));
            }
        }
        return kept;
    }

    private static Optional<String> failure(ParityReport report) {
        for (FormatResult f : report.formats()) {
            if (f.loadFailure().isPresent()) {
                return Optional.of(f.format() + " weights: converted model does not load: " + f.loadFailure().get()
                        + configHint(report));
            }
            Optional<TensorComparison> first = f.firstDivergence();
            if (first.isPresent()) {
                return Optional.of(f.format() + " weights: first diverging tensor is " + describe(first.get(), f.tolerance())
                        + configHint(report));
            }
        }
        List<ConfigCheck> differ = report.config().stream().filter(c -> !c.matches()).toList();
        if (!differ.isEmpty()) {
            return Optional.of("config.json differs from the checkpoint: " + String.join(", ", differ.stream()
                    .map(c -> c.key() + " " + c.folder() + " (checkpoint: " + c.original() + ", " + c.provenance() + ")")
                    .toList()));
        }
        if (report.strict() && !report.unverified().isEmpty()) {
            return Optional.of("unverified config values (--strict): " + String.join(", ", report.unverified().stream()
                    .map(c -> c.key() + " " + c.original() + " from " + c.provenance()).toList())
                    + "; give the hparams the checkpoint was trained with");
        }
        return Optional.empty();
    }

    private static String configHint(ParityReport report) {
        List<String> differ = report.config().stream().filter(c -> !c.matches())
                .map(c -> c.key() + " " + c.folder() + " (checkpoint: " + c.original() + ")").toList();
        return differ.isEmpty() ? "" : "; config.json differs from the checkpoint: " + String.join(", ", differ);
    }

    /** {@code hidden_states[0]} is the embeddings' output, {@code hidden_states[i]} encoder layer i-1's. */
    public static String label(String tensor) {
        if (tensor.startsWith("hidden_states[")) {
            int i = Integer.parseInt(tensor.substring("hidden_states[".length(), tensor.length() - 1));
            return tensor + (i == 0 ? " (embeddings)" : " (encoder layer " + (i - 1) + ")");
        }
        return tensor;
    }

    /** A comparison in one line: the tensor, the input, and the shape mismatch or the differences against tolerance. */
    public static String describe(TensorComparison c, double tolerance) {
        if (c.shapeMismatch() != null) {
            return label(c.tensor()) + " on input " + c.input() + ": " + c.shapeMismatch();
        }
        return String.format(Locale.ROOT, "%s on input %s: max abs diff %.3e, max rel diff %.3e > tolerance %.0e (cosine %.6f)",
                label(c.tensor()), c.input(), c.maxAbsDiff(), c.maxRelDiff(), tolerance, c.cosine());
    }

    /** The original's config against config.json, key by key. */
    private static List<ConfigCheck> compare(OriginalConfig original, ElectraConfig folder) {
        List<ConfigCheck> checks = new ArrayList<>();
        original.values().forEach((key, value) -> checks.add(new ConfigCheck(key, value, original.provenance().get(key),
                switch (key) {
                    case "vocab_size" -> folder.vocabSize();
                    case "embedding_size" -> folder.embeddingSize();
                    case "hidden_size" -> folder.hiddenSize();
                    case "num_hidden_layers" -> folder.numHiddenLayers();
                    case "num_attention_heads" -> folder.numAttentionHeads();
                    case "intermediate_size" -> folder.intermediateSize();
                    case "max_position_embeddings" -> folder.maxPositionEmbeddings();
                    case "type_vocab_size" -> folder.typeVocabSize();
                    case "hidden_act" -> folder.hiddenAct();
                    case "layer_norm_eps" -> folder.layerNormEps();
                    case "num_labels" -> folder.numLabels();
                    default -> null;
                })));
        return checks;
    }

    private static HeadKind hfHeadOf(OriginalNetwork.Head head) {
        return switch (head) {
            case NONE -> HeadKind.BODY;
            case DISCRIMINATOR -> HeadKind.PRETRAINING;
            case MASKED_LM -> HeadKind.MASKED_LM;
            case CLASSIFICATION, REGRESSION -> HeadKind.SEQUENCE_CLASSIFICATION;
            case TAGGING -> HeadKind.TOKEN_CLASSIFICATION;
            case SQUAD -> HeadKind.QUESTION_ANSWERING;
        };
    }

    /** For a task the original does not define, the head the folder says it is (so that is unconfirmed). */
    private static OriginalNetwork.Head originalHeadOf(HeadKind head) {
        return switch (head) {
            case TOKEN_CLASSIFICATION -> OriginalNetwork.Head.TAGGING;
            case QUESTION_ANSWERING -> OriginalNetwork.Head.SQUAD;
            default -> OriginalNetwork.Head.CLASSIFICATION;
        };
    }

    /** One weight format's model, its current hidden states and what it has compared so far. */
    private static final class Side {
        private final String format;
        private final List<Path> files;
        private final String dtype;
        private final double tolerance;
        private final HfFolderWeightSource source;
        private final StagedModel model;
        private String loadFailure;
        private List<float[]> hidden;
        private final List<TensorComparison> comparisons = new ArrayList<>();
        private final long[] top1 = new long[2];
        private StagedModel.EmbeddingStage embeddings; // read for the sweep, kept for the cases' first stage
        private final List<TensorComparison> sweepParts = new ArrayList<>();

        private Side(String format, List<Path> files, String dtype, double tolerance, HfFolderWeightSource source,
                StagedModel model, String loadFailure) {
            this.format = format;
            this.files = files;
            this.dtype = dtype;
            this.tolerance = tolerance;
            this.source = source;
            this.model = model;
            this.loadFailure = loadFailure;
        }

        static Side open(ParityRequest request, ModelFolder folder, String format, MatMulKernel kernel) {
            HfFolderWeightSource source = HfFolderWeightSource.open(folder.dir(), Optional.of(format));
            String dtype = weightsDtype(source.folder(), folder.config());
            double tolerance = request.tolerance().orElse(switch (dtype) {
                case "F16" -> FLOAT16_TOLERANCE;
                case "BF16" -> BFLOAT16_TOLERANCE;
                default -> FLOAT32_TOLERANCE;
            });
            StagedModel model = null;
            String failure = null;
            try {
                model = new LayerwiseModel(folder.config(), source, folder.head(), kernel);
            } catch (BadInputException e) {
                // the folder's config and weights do not fit together: the conversion is wrong, not the user's input
                failure = e.getMessage();
            }
            return new Side(format, source.folder().files(), dtype, tolerance, source, model, failure);
        }

        int layers() {
            return model == null ? 0 : model.numLayers();
        }

        /** One chunk of the sweep through this side's embeddings, compared with the original's {@code expected}. */
        void sweep(ModelInput chunk, float[] expected, String name) {
            if (loadFailure != null) {
                return;
            }
            float[] ours;
            try {
                ours = embeddingStage().apply(chunk);
            } catch (BadInputException e) {
                loadFailure = e.getMessage();
                return;
            }
            sweepParts.add(TensorComparison.of("hidden_states[0]", name, rows(chunk, expected), rows(chunk, ours), tolerance));
        }

        /** The sweep's chunks reported as one comparison. */
        void endSweep(String name) {
            if (loadFailure == null) {
                comparisons.add(TensorComparison.worst("hidden_states[0]", name, sweepParts));
            }
            sweepParts.clear();
        }

        /** {@code hidden_states[0]} of each input, through the tables the sweep read; they are let go after. */
        List<float[]> embed(List<ModelInput> inputs) {
            StagedModel.EmbeddingStage stage = embeddingStage();
            embeddings = null;
            return inputs.stream().map(stage::apply).toList();
        }

        private StagedModel.EmbeddingStage embeddingStage() {
            if (embeddings == null) {
                embeddings = model.embeddings();
            }
            return embeddings;
        }

        /** Keeps the hidden states of the cases that go on. */
        void select(List<Case> cases, Predicate<Case> keep) {
            hidden = ParityCheck.select(hidden, cases, keep);
        }

        /** Runs {@code stage} (null for a layer this side lacks) and compares its output with the {@code original}'s. */
        void step(Supplier<List<float[]>> original, List<Case> cases, int index, Function<StagedModel, List<float[]>> stage) {
            if (loadFailure != null) {
                return;
            }
            try {
                hidden = stage.apply(model);
            } catch (BadInputException e) {
                loadFailure = e.getMessage();
                return;
            }
            String name = "hidden_states[" + index + "]";
            List<float[]> reference = original.get();
            for (int i = 0; i < cases.size(); i++) {
                comparisons.add(TensorComparison.of(name, cases.get(i).name(), hiddenTensor(reference, i, cases),
                        hidden == null ? null : hiddenTensor(hidden, i, cases), tolerance));
            }
        }

        private static Tensor hiddenTensor(List<float[]> states, int i, List<Case> cases) {
            return states == null ? null : rows(cases.get(i).input(), states.get(i));
        }

        /** Hidden-state rows as {@code [sequences, seq, width]}. */
        private static Tensor rows(ModelInput input, float[] states) {
            int width = states.length / input.inputIds().length;
            return new Tensor(new int[] {input.sequences(), input.sequenceLength(), width}, states);
        }

        void compareHead(List<Map<String, Tensor>> expected, List<Case> cases, HeadKind head) {
            if (loadFailure != null || hidden == null) {
                return; // it failed to load, or its depth differs (already a failing comparison)
            }
            List<Map<String, Tensor>> actual;
            try {
                actual = model.head(hidden, cases.stream().map(Case::input).toList());
            } catch (BadInputException e) {
                loadFailure = e.getMessage();
                return;
            }
            for (int i = 0; i < cases.size(); i++) {
                for (String output : new TreeSet<>(expected.get(i).keySet())) {
                    Tensor a = expected.get(i).get(output);
                    Tensor b = actual.get(i).get(output);
                    comparisons.add(TensorComparison.of(output, cases.get(i).name(), a, b, tolerance));
                    if (head == HeadKind.MASKED_LM && b != null && Arrays.equals(a.shape(), b.shape())) {
                        countTop1(a, b, cases.get(i).input().attentionMask());
                    }
                }
            }
        }

        private void countTop1(Tensor a, Tensor b, int[] mask) {
            int[] shape = a.shape();
            int vocab = shape[shape.length - 1];
            for (int p = 0; p < a.data().length / vocab; p++) {
                if (mask[p] != 0) {
                    top1[1]++;
                    if (argmax(a.data(), p * vocab, vocab) == argmax(b.data(), p * vocab, vocab)) {
                        top1[0]++;
                    }
                }
            }
        }

        FormatResult result() {
            return new FormatResult(format, files, dtype, tolerance, Optional.ofNullable(loadFailure), comparisons,
                    top1.clone());
        }

        void close() {
            source.close();
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

    /**
     * Any float16 or bfloat16 tensor, or a config.json {@code dtype} that says so (h5 keeps bfloat16 values widened
     * to float32), loosens the default tolerance; float32 weights keep it at 1e-5.
     */
    private static String weightsDtype(HfModelFolder folder, ElectraConfig config) {
        boolean f16 = config.dtype().equals("float16");
        boolean bf16 = config.dtype().equals("bfloat16");
        for (StoredTensor t : folder.tensors().values()) {
            f16 |= t.dtype() == DType.FLOAT16;
            bf16 |= t.dtype() == DType.BFLOAT16;
        }
        return bf16 ? "BF16" : f16 ? "F16" : "F32";
    }
}
