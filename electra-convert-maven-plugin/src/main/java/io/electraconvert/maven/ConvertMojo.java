package io.electraconvert.maven;

import io.electraconvert.error.ElectraConvertException;
import io.electraconvert.hf.convert.ConversionRequest;
import io.electraconvert.hf.convert.ConversionResult;
import io.electraconvert.hf.convert.ElectraConverter;
import io.electraconvert.hf.electra.ModelChoice;
import io.electraconvert.hf.electra.TaskType;
import io.electraconvert.hf.output.OutputFolderException;
import io.electraconvert.hf.weights.ShardPlan;
import io.electraconvert.tensor.DType;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Converts a network, the body or a fine-tuned task head of a google-research/electra checkpoint into a HuggingFace
 * model folder: {@code config.json},
 * the weights in the formats asked for and, with {@code vocab}, the tokenizer files. The same as the command line's
 * {@code convert}: every checkpoint variable is mapped or deliberately dropped, the output is written beside
 * {@code out} and renamed into place when complete, and a failure leaves nothing behind.
 */
@Mojo(name = "convert", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class ConvertMojo extends AbstractMojo {
    /** Maven's slf4j provider (a SimpleLogger) reads a logger's level from this system property when it is created. */
    private static final String JHDF_LOG_LEVEL = "org.slf4j.simpleLogger.log.io.jhdf";

    static {
        // jHDF, the tf format's writer, logs every HDF5 group it writes at INFO, which in Maven is the build log:
        // only its warnings belong there. A -D given to Maven still wins.
        if (System.getProperty(JHDF_LOG_LEVEL) == null) {
            System.setProperty(JHDF_LOG_LEVEL, "warn");
        }
    }

    /** The checkpoint: a prefix ({@code model.ckpt-1000}), its {@code .index} file, or a directory. */
    @Parameter(property = "electra.checkpoint", required = true)
    File checkpoint;

    /**
     * What to convert: {@code discriminator} or {@code generator} (a network of a pretraining checkpoint),
     * {@code body} (the body alone, of any checkpoint) or {@code task} (the head of a fine-tuned task; see
     * {@code task}).
     */
    @Parameter(property = "electra.model", alias = "network", required = true)
    String model;

    /** With model {@code task}: which task of a multi-task checkpoint ({@code task_specific/NAME/}). */
    @Parameter(property = "electra.task")
    String task;

    /**
     * With model {@code task}: what the head computes ({@code classification}, {@code regression}, {@code tagging},
     * {@code question-answering}), for a task google-research/electra does not define.
     */
    @Parameter(property = "electra.taskType")
    String taskType;

    /** With model {@code task}: the label names in output order (id2label), for a tagging or an unknown task. */
    @Parameter(property = "electra.labels")
    List<String> labels;

    /** The output folder: created, or an existing one without model files (see {@code overwrite}). */
    @Parameter(property = "electra.out", required = true)
    File out;

    /** google-research/electra hparams JSON or a BERT-style config JSON; wins over inference from tensor shapes. */
    @Parameter(property = "electra.hparams")
    File hparams;

    /** {@code vocab.txt}: also write the tokenizer files. */
    @Parameter(property = "electra.vocab")
    File vocab;

    /** The weight files to write: {@code safetensors} ({@code model.safetensors}), {@code pytorch}, {@code tf}. */
    @Parameter(property = "electra.formats", defaultValue = "safetensors")
    List<String> formats;

    /** The element type of the written weights: {@code float32}, {@code float16} or {@code bfloat16}. */
    @Parameter(property = "electra.dtype", defaultValue = "float32")
    String dtype;

    /**
     * Split safetensors/pytorch weights into files of at most this size with an index, read as transformers'
     * {@code save_pretrained} reads it: {@code 200MB}, {@code 5GB} (powers of 1000), {@code 512MiB}, {@code 2GiB}
     * (powers of 1024), or a byte count.
     */
    @Parameter(property = "electra.maxShardSize")
    String maxShardSize;

    /**
     * Replace the model files already in {@code out} (config, weights in every format, tokenizer files when
     * {@code vocab} is given), only once the new output is complete; other files are kept. The command line's
     * {@code --force}.
     */
    @Parameter(property = "electra.overwrite", alias = "force", defaultValue = "false")
    boolean overwrite;

    /** Skip this goal. */
    @Parameter(property = "electra.convert.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoFailureException {
        if (skip) {
            getLog().info("skipped (skip=true)");
            return;
        }
        ConversionRequest request = request();
        ConversionResult result;
        try {
            result = ElectraConverter.convert(request, (done, total, tensor) ->
                    getLog().debug(String.format(Locale.ROOT, "%,d of %,d bytes written: %s", done, total, tensor)));
        } catch (OutputFolderException e) {
            if (e.existingModelFiles().isEmpty()) {
                throw new MojoFailureException(Failures.message(e));
            }
            throw new MojoFailureException(request.out() + ": already holds model files ("
                    + String.join(", ", e.existingModelFiles()) + "); set overwrite to true (-Delectra.overwrite) to "
                    + "replace them (other files in the folder are kept)");
        } catch (ElectraConvertException | IOException | UncheckedIOException e) {
            throw new MojoFailureException(Failures.message(e));
        }
        var c = result.plan().config();
        getLog().info(String.format(Locale.ROOT, "converted %s -> %s (%s, %s): %d tensors, %,d bytes of tensor data per format; dropped %d "
                        + "checkpoint variables", result.plan().model().choice().describe(), request.out(), c.architectures().get(0),
                request.dtype().torchName(), result.plan().tensors().size(), result.tensorBytesPerFormat(),
                result.plan().dropped().size()));
        getLog().info(String.format(Locale.ROOT, "config: vocab_size %d, embedding_size %d, hidden_size %d, "
                        + "num_hidden_layers %d, num_attention_heads %d, intermediate_size %d", c.vocabSize(),
                c.embeddingSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(), c.intermediateSize()));
        getLog().info("files: " + String.join(", ", result.files()));
        if (!result.replacedFiles().isEmpty()) {
            getLog().info("replaced the previous model's " + String.join(", ", result.replacedFiles()));
        }
    }

    private ConversionRequest request() throws MojoFailureException {
        ModelChoice choice = choice();
        ConversionRequest request = ConversionRequest.of(Parameters.required("checkpoint", checkpoint), choice,
                        Parameters.required("out", out))
                .withFormats(Parameters.formats(formats))
                .withDtype(Parameters.parse("dtype", dtype, DType::parseOutput))
                .withOverwrite(overwrite);
        if (hparams != null) {
            request = request.withHparams(hparams.toPath());
        }
        if (vocab != null) {
            request = request.withVocab(vocab.toPath());
        }
        if (maxShardSize != null && !maxShardSize.isBlank()) {
            request = request.withMaxShardBytes(Parameters.parse("maxShardSize", maxShardSize, ShardPlan::parseSize));
        }
        return request;
    }

    /** The choice the parameters make; task parameters without model {@code task} are a mistake. */
    private ModelChoice choice() throws MojoFailureException {
        ModelChoice choice = Parameters.parse("model", model, ModelChoice::parse);
        boolean labelled = labels != null && !labels.isEmpty(); // Maven gives an unset list parameter as empty
        if (!(choice instanceof ModelChoice.Task)) {
            String misplaced = task != null ? "task" : taskType != null ? "taskType" : labelled ? "labels" : null;
            if (misplaced != null) {
                throw Parameters.bad(misplaced, "applies to model task, not model " + choice.cliName());
            }
            return choice;
        }
        ModelChoice.Task t = task == null ? ModelChoice.task() : ModelChoice.task(task);
        if (taskType != null) {
            t = t.withType(Parameters.parse("taskType", taskType, TaskType::parse));
        }
        if (labelled) {
            try {
                t = t.withLabels(labels);
            } catch (IllegalArgumentException e) {
                throw Parameters.bad("labels", e.getMessage());
            }
        }
        return t;
    }
}
