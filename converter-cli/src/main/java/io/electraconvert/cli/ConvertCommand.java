package io.electraconvert.cli;

import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.convert.ConversionRequest;
import io.electraconvert.hf.convert.ConversionResult;
import io.electraconvert.hf.convert.ElectraConverter;
import io.electraconvert.hf.electra.ConfigSource;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.electra.ModelChoice;
import io.electraconvert.hf.electra.TaskType;
import io.electraconvert.hf.output.OutputFolderException;
import io.electraconvert.hf.weights.ShardPlan;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.hf.formats.WeightsFormats;
import picocli.CommandLine.ParameterException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code convert CKPT --model discriminator|generator|body|task --out DIR}. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert a network, the body or a fine-tuned head of a google-research/electra checkpoint into a "
                + "HuggingFace model folder: config.json, the weights (model.safetensors by default; --format adds "
                + "pytorch_model.bin and tf_model.h5) and, with --vocab, the tokenizer files.",
                "The discriminator becomes ElectraForPreTraining, the generator ElectraForMaskedLM, the body alone "
                + "ElectraModel; a fine-tuned task ElectraForSequenceClassification (classification, regression), "
                + "ElectraForTokenClassification (tagging) or ElectraForQuestionAnswering (SQuAD-style, "
                + "joint_prediction: false). Every checkpoint variable is mapped or deliberately dropped (optimizer "
                + "slots, global_step, the other network, other tasks); an unknown variable is an error. Config values "
                + "come from the tensor shapes, --hparams or the hparams.json beside the checkpoint, and the graph in "
                + "its .meta file; the summary says which, and warns about values only a default rule gives. Output "
                + "is written beside DIR and renamed into place when complete."},
        footer = {"", "Examples:",
                "  electra-convert convert testdata/checkpoints/small --model discriminator --out out/disc --vocab testdata/vocab.txt",
                "  electra-convert convert gs_download/electra_small --model generator --out out/gen --hparams hparams.json --force",
                "  electra-convert convert finetuned/mnli_sts --model task --task mnli --out out/mnli",
                "  electra-convert convert finetuned/ner --model task --task-type tagging --labels O,B-PER,I-PER --out out/ner"})
final class ConvertCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CKPT", description = "Checkpoint prefix (model.ckpt-N) or directory.")
    Path checkpoint;

    @Option(names = "--model", required = true, paramLabel = "discriminator|generator|body|task",
            description = "What to convert: a network of a pretraining checkpoint, the body alone (any checkpoint), or "
                    + "the head of a fine-tuned task (see --task).", converter = ModelConverter.class)
    ModelChoice model;

    @Option(names = "--task", paramLabel = "NAME", description = "With --model task: which task of a multi-task "
            + "checkpoint (task_specific/NAME/).")
    String task;

    @Option(names = "--task-type", paramLabel = "classification|regression|tagging|question-answering",
            converter = TaskTypeConverter.class, description = "With --model task: what the head computes, for a task "
            + "google-research/electra does not define (its own tasks' types are known).")
    TaskType taskType;

    @Option(names = "--labels", paramLabel = "A,B,C", split = ",", description = "With --model task: the label names in "
            + "output order (id2label), for a tagging task or one google-research/electra does not define.")
    List<String> labels;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder: created, or an existing one without model files (see --force).")
    Path out;

    @Option(names = "--hparams", paramLabel = "FILE",
            description = "google-research/electra hparams JSON or BERT-style config JSON; wins over shape inference.")
    Path hparams;

    @Option(names = "--vocab", paramLabel = "FILE", description = "vocab.txt: also write the tokenizer files.")
    Path vocab;

    @Option(names = "--dtype", paramLabel = "float32|float16|bfloat16", defaultValue = "float32",
            description = "Element type of the written weights (default: ${DEFAULT-VALUE}).", converter = DTypeConverter.class)
    DType dtype;

    @Option(names = "--format", paramLabel = "LIST", defaultValue = "safetensors", split = ",",
            description = "Weight files to write, comma-separated: safetensors (model.safetensors), pytorch "
                    + "(pytorch_model.bin), tf (tf_model.h5). Default: ${DEFAULT-VALUE}.")
    List<String> formats;

    @Option(names = "--max-shard-size", paramLabel = "SIZE",
            description = "Split safetensors/pytorch weights into files of at most SIZE (decimal units as transformers: "
                    + "200MB, 5GB) with an index.json.")
    String maxShardSize;

    @Option(names = "--force", description = "Replace the model files already in DIR (config, weights in every format, "
            + "tokenizer files when --vocab is given), only once the new output is complete; other files are kept.")
    boolean force;

    @Option(names = "--quiet", description = "No progress display and no summary.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    private boolean verbose() {
        return spec.root().userObject() instanceof ElectraConvert root && root.verbose;
    }

    @Override
    public Integer call() throws IOException {
        List<WeightsFormat> weightsFormats;
        OptionalLong shardBytes;
        try {
            weightsFormats = WeightsFormats.parse(String.join(",", formats));
            shardBytes = maxShardSize == null ? OptionalLong.empty() : OptionalLong.of(ShardPlan.parseSize(maxShardSize));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ConversionRequest request = new ConversionRequest(checkpoint, choice(), out, Optional.ofNullable(hparams),
                Optional.ofNullable(vocab), force, dtype, weightsFormats, shardBytes);
        PrintWriter err = spec.commandLine().getErr();
        ProgressDisplay progress = quiet ? ProgressDisplay.disabled() : ProgressDisplay.onTerminal(err);
        ConversionResult result;
        try {
            result = ElectraConverter.convert(request, progress);
        } catch (OutputFolderException e) {
            if (e.existingModelFiles().isEmpty()) {
                throw e;
            }
            throw new BadInputException(out + ": already holds model files (" + String.join(", ", e.existingModelFiles())
                    + "); pass --force to replace them (other files in the folder are kept)");
        } finally {
            progress.finish();
        }
        if (!quiet) {
            var c = result.plan().config();
            err.printf("converted %s -> %s (%s): %d tensors, %,d bytes; dropped %d checkpoint variables%n",
                    result.plan().model().choice().describe(), out, c.architectures().get(0), result.plan().tensors().size(),
                    result.tensorBytes(), result.plan().dropped().size());
            err.printf("config: vocab %d, embedding %d, hidden %d, layers %d, heads %d, intermediate %d, positions %d%s%n",
                    c.vocabSize(), c.embeddingSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(),
                    c.intermediateSize(), c.maxPositionEmbeddings(), labelsSummary(c));
            if (hparams == null) { // say which hparams file was used when the user named none
                result.provenance().values().stream().flatMap(v -> v.sources().stream())
                        .filter(s -> s.kind() == ConfigSource.Kind.HPARAMS).flatMap(s -> s.file().stream()).findFirst()
                        .ifPresent(f -> err.println("  hparams: " + f + " (found beside the checkpoint)"));
            }
            ProvenanceText.lines(result.provenance(), false).forEach(line -> err.println("  " + line));
            ProvenanceText.droppedNotes(result.plan().dropped()).forEach(err::println);
            err.println("files: " + String.join(", ", result.files()));
            if (!result.replacedFiles().isEmpty()) {
                err.println("replaced the previous model's " + String.join(", ", result.replacedFiles()));
            }
            if (verbose() && !result.maxRoundingErrors().isEmpty()) {
                err.printf("largest %s rounding error per tensor:%n", dtype.torchName());
                result.maxRoundingErrors().forEach((name, e) -> err.printf(java.util.Locale.ROOT, "  %-60s %.3e%n", name, e));
            }
        }
        // even with --quiet: these say the output may not compute what the checkpoint did
        ProvenanceText.warning(result.provenance()).ifPresent(err::println);
        ProvenanceText.droppedWarnings(result.plan().dropped()).forEach(err::println);
        err.flush();
        return ExitCodes.OK;
    }

    /** The choice the options make; task options without {@code --model task} are a usage error. */
    private ModelChoice choice() {
        if (!(model instanceof ModelChoice.Task)) {
            String misplaced = task != null ? "--task" : taskType != null ? "--task-type" : labels != null ? "--labels" : null;
            if (misplaced != null) {
                throw new ParameterException(spec.commandLine(), misplaced + " applies to --model task, not --model "
                        + model.cliName());
            }
            return model;
        }
        ModelChoice.Task choice = task == null ? ModelChoice.task() : ModelChoice.task(task);
        if (taskType != null) {
            choice = choice.withType(taskType);
        }
        if (labels != null) {
            choice = choice.withLabels(checkedLabels());
        }
        return choice;
    }

    /** Label names as transformers needs them in id2label/label2id: non-empty and distinct. */
    private List<String> checkedLabels() {
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            if (label.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--labels has an empty label name: '"
                        + String.join(",", labels) + "'");
            }
            if (!seen.add(label)) {
                throw new ParameterException(spec.commandLine(), "--labels names '" + label + "' twice");
            }
        }
        return labels;
    }

    /** {@code , labels a, b, c} for a classification or tagging head; nothing for other heads. */
    private static String labelsSummary(ElectraConfig c) {
        if (c.problemType() != null) {
            return ", " + c.problemType();
        }
        return c.labels().equals(ElectraConfig.DEFAULT_LABELS) ? ""
                : ", labels " + String.join(", ", c.labels());
    }

    /** {@code discriminator}, {@code generator}, {@code body} or {@code task} (the task named by the other options). */
    static final class ModelConverter implements picocli.CommandLine.ITypeConverter<ModelChoice> {
        @Override
        public ModelChoice convert(String value) {
            return switch (value) {
                case "body" -> ModelChoice.body();
                case "task" -> ModelChoice.task();
                case "discriminator", "generator" -> ModelChoice.of(ElectraNetwork.parse(value));
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "expected discriminator, generator, body or task, got '" + value + "'");
            };
        }
    }

    static final class TaskTypeConverter implements picocli.CommandLine.ITypeConverter<TaskType> {
        @Override
        public TaskType convert(String value) {
            return TaskType.parse(value).orElseThrow(() -> new picocli.CommandLine.TypeConversionException(
                    "expected classification, regression, tagging or question-answering, got '" + value + "'"));
        }
    }

    static final class NetworkConverter implements picocli.CommandLine.ITypeConverter<ElectraNetwork> {
        @Override
        public ElectraNetwork convert(String value) {
            try {
                return ElectraNetwork.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected discriminator or generator, got '" + value + "'");
            }
        }
    }

    static final class DTypeConverter implements picocli.CommandLine.ITypeConverter<DType> {
        @Override
        public DType convert(String value) {
            try {
                return DType.parseOutput(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
