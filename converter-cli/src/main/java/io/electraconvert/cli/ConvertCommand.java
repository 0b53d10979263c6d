package io.electraconvert.cli;

import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import io.electraconvert.hf.convert.ConversionRequest;
import io.electraconvert.hf.convert.ConversionResult;
import io.electraconvert.hf.convert.ElectraConverter;
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
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
                "  electra-convert convert testdata/checkpoints/small -m discriminator -o out/disc --vocab testdata/vocab.txt",
                "  electra-convert convert electra_small -m generator -o out/gen --hparams hparams.json --format safetensors,pytorch -f",
                "  electra-convert convert electra_base -m discriminator -o out/base --max-shard-size 200MiB --json > conversion.json",
                "  electra-convert convert finetuned/mnli_sts -m task --task mnli -o out/mnli",
                "  electra-convert convert finetuned/ner -m task --task-type tagging --labels O,B-PER,I-PER -o out/ner"})
final class ConvertCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CKPT", description = "Checkpoint prefix (model.ckpt-N) or directory.")
    Path checkpoint;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
            completionCandidates = OptionValues.ModelNames.class,
            description = "What to convert: ${COMPLETION-CANDIDATES}: a network of a pretraining checkpoint, the body "
                    + "alone (any checkpoint), or the head of a fine-tuned task (see --task).", converter = ModelConverter.class)
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

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
            description = "Output folder: created, or an existing one without model files (see --force).")
    Path out;

    @Option(names = "--hparams", paramLabel = "FILE",
            description = "google-research/electra hparams JSON or BERT-style config JSON; wins over shape inference. "
                    + "- reads it from standard input.")
    Path hparams;

    @Option(names = "--vocab", paramLabel = "FILE", description = "vocab.txt: also write the tokenizer files. Default: "
            + "the vocab.txt beside the checkpoint, if there is one (as in Google's released checkpoints). - reads "
            + "standard input.")
    Path vocab;

    @Option(names = "--dtype", paramLabel = "DTYPE", defaultValue = "float32", converter = DTypeConverter.class,
            completionCandidates = OptionValues.OutputDtypeNames.class,
            description = "Element type of the written weights: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    DType dtype;

    @Option(names = "--format", paramLabel = "FORMAT[,FORMAT...]", defaultValue = "safetensors", split = ",",
            completionCandidates = OptionValues.FormatNames.class,
            description = "Weight files to write, any of ${COMPLETION-CANDIDATES} (see Weight formats below; default: "
                    + "${DEFAULT-VALUE}).")
    List<String> formats;

    @Option(names = "--max-shard-size", paramLabel = "SIZE",
            description = "Split the weights of the formats that shard into files of at most SIZE, with an index.json, "
                    + "as transformers' save_pretrained does and reading SIZE as it does: 200MB, 5GB (powers of 1000), "
                    + "512MiB, 2GiB (powers of 1024) or a number of bytes; a final lower-case b means bits (8Mb = 1MB).")
    String maxShardSize;

    @Option(names = {"-f", "--force"}, description = "Replace the model files already in DIR (config, weights in every "
            + "format, tokenizer files when a vocabulary is written), only once the new output is complete; other files "
            + "are kept.")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "No progress display, summary, notes or warnings; only errors.")
    boolean quiet;

    @Option(names = "--json", description = "Print what was written as a JSON document on stdout (docs/json.md) "
            + "instead of the summary on stderr.")
    boolean json;

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
        if (shardBytes.isPresent() && weightsFormats.stream().noneMatch(WeightsFormat::shardable)) {
            throw new ParameterException(spec.commandLine(), "--max-shard-size splits only "
                    + String.join(", ", WeightsFormats.all().stream().filter(WeightsFormat::shardable).map(WeightsFormat::name).toList())
                    + " weights, and --format " + String.join(",", formats) + " writes none");
        }
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> vocabBeside = vocab == null ? VocabularyBeside.checkpoint(checkpoint) : Optional.empty();
        ConversionRequest request = new ConversionRequest(checkpoint, choice(), out, Optional.ofNullable(hparams),
                Optional.ofNullable(vocab).or(() -> vocabBeside), force, dtype, weightsFormats, shardBytes);
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
        ConversionReport report = new ConversionReport(request, result, hparams == null);
        if (json) {
            JsonOutput.print(spec.commandLine().getOut(), report.json());
        } else if (!quiet) {
            report.print(err, verbose());
        }
        if (!quiet && vocab == null) {
            err.println(VocabularyBeside.note(vocabBeside));
            err.flush();
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
            try {
                choice = choice.withLabels(labels);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--labels " + e.getMessage());
            }
        }
        return choice;
    }

    /** {@code discriminator}, {@code generator}, {@code body} or {@code task} (the task named by the other options). */
    static final class ModelConverter implements picocli.CommandLine.ITypeConverter<ModelChoice> {
        @Override
        public ModelChoice convert(String value) {
            try {
                return ModelChoice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class TaskTypeConverter implements picocli.CommandLine.ITypeConverter<TaskType> {
        @Override
        public TaskType convert(String value) {
            try {
                return TaskType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
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
