package io.electraconvert.cli;

import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import io.electraconvert.hf.convert.ConversionRequest;
import io.electraconvert.hf.convert.ConversionResult;
import io.electraconvert.hf.convert.ElectraConverter;
import io.electraconvert.hf.electra.ElectraNetwork;
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

/** {@code convert CKPT --model discriminator|generator --out DIR}. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert one network of an ELECTRA pretraining checkpoint into a HuggingFace model folder: "
                + "config.json, the weights (model.safetensors by default; --format adds pytorch_model.bin and "
                + "tf_model.h5) and, with --vocab, the tokenizer files.",
                "The discriminator becomes ElectraForPreTraining, the generator ElectraForMaskedLM. Every checkpoint "
                + "variable is mapped or deliberately dropped (optimizer slots, global_step, the other network); "
                + "an unknown variable is an error. Output is written beside DIR and renamed into place when complete."},
        footer = {"", "Examples:",
                "  electra-convert convert testdata/checkpoints/small --model discriminator --out out/disc --vocab testdata/vocab.txt",
                "  electra-convert convert gs_download/electra_small --model generator --out out/gen --hparams hparams.json --force"})
final class ConvertCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CKPT", description = "Checkpoint prefix (model.ckpt-N) or directory.")
    Path checkpoint;

    @Option(names = "--model", required = true, paramLabel = "discriminator|generator",
            description = "Which network to convert.", converter = NetworkConverter.class)
    ElectraNetwork network;

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
                    + "200MB, 5GB; binary: 40KiB, 2GiB) with an index.json.")
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
        ConversionRequest request = new ConversionRequest(checkpoint, network, out, Optional.ofNullable(hparams),
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
                    network.cliName(), out, c.architectures().get(0), result.plan().tensors().size(), result.tensorBytes(),
                    result.plan().dropped().size());
            err.printf("config: vocab %d, embedding %d, hidden %d, layers %d, heads %d, intermediate %d, positions %d%n",
                    c.vocabSize(), c.embeddingSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(),
                    c.intermediateSize(), c.maxPositionEmbeddings());
            err.println("files: " + String.join(", ", result.files()));
            if (!result.replacedFiles().isEmpty()) {
                err.println("replaced the previous model's " + String.join(", ", result.replacedFiles()));
            }
            if (verbose() && !result.maxRoundingErrors().isEmpty()) {
                err.printf("largest %s rounding error per tensor:%n", dtype.torchName());
                result.maxRoundingErrors().forEach((name, e) -> err.printf(java.util.Locale.ROOT, "  %-60s %.3e%n", name, e));
            }
            err.flush();
        }
        return ExitCodes.OK;
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
