package io.electraconvert.hf.convert;

import io.electraconvert.error.BadInputException;
import io.electraconvert.error.UnsupportedInputException;
import io.electraconvert.files.IoErrors;
import io.electraconvert.hf.electra.ConfigResolver;
import io.electraconvert.hf.electra.ConfigValue;
import io.electraconvert.hf.electra.ElectraCheckpointModel;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.electra.Hparams;
import io.electraconvert.hf.electra.ModelChoice;
import io.electraconvert.hf.electra.ModelLayout;
import io.electraconvert.hf.electra.TensorShapes;
import io.electraconvert.hf.formats.h5.KerasH5Format;
import io.electraconvert.hf.io.Futures;
import io.electraconvert.hf.output.StagedOutput;
import io.electraconvert.hf.plan.ConversionPlan;
import io.electraconvert.hf.plan.ConversionPlanner;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.hf.tokenizer.TokenizerFiles;
import io.electraconvert.hf.tokenizer.Vocabulary;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.ProgressCounter;
import io.electraconvert.hf.weights.ProgressListener;
import io.electraconvert.hf.weights.RoundingErrorMeter;
import io.electraconvert.hf.weights.ShardPlan;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.tfreader.TfCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Converts one network, the body or a fine-tuned head of a google-research/electra checkpoint into a HuggingFace
 * model folder. The library's entry point: no printing, no exit; failures are
 * {@link io.electraconvert.error.ElectraConvertException}s (bad, damaged or unsupported input, each with a one-line
 * message) or {@link IOException}s. Output is staged beside
 * {@code out} and renamed into place only when complete.
 */
public final class ElectraConverter {
    private ElectraConverter() {}

    /**
     * How the network's variables map to HF keys, with the config from shapes and the hparams: {@code hparams} when
     * given, else the {@code hparams.json} beside the checkpoint; the checkpoint's {@code .meta} graph when there is one.
     */
    public static ConversionPlan plan(TfCheckpoint checkpoint, ElectraNetwork network, Optional<Hparams> hparams) {
        return plan(checkpoint, ModelChoice.of(network), hparams);
    }

    /** {@link #plan(TfCheckpoint, ElectraNetwork, Optional)} for any choice: a network, the body or a task head. */
    public static ConversionPlan plan(TfCheckpoint checkpoint, ModelChoice choice, Optional<Hparams> hparams) {
        ElectraCheckpointModel model = ElectraCheckpointModel.recognise(TensorShapes.of(checkpoint.indexFile(), checkpoint.tensors()));
        ModelLayout layout = model.require(choice);
        ConfigResolver.Evidence evidence = ConfigResolver.Evidence.locate(checkpoint.prefix(), hparams);
        return ConversionPlanner.plan(model, ConfigResolver.resolve(model, layout, evidence));
    }

    public static ConversionResult convert(ConversionRequest request, ProgressListener listener) throws IOException {
        return convert(request, listener, UnaryOperator.identity());
    }

    /**
     * Converts with the plan {@code planEdit} makes of the planned one. For tools that deliberately change a mapping:
     * the verifier's tests plant mapping mistakes this way and check that {@code verify} names them.
     */
    public static ConversionResult convert(ConversionRequest request, ProgressListener listener,
                                           UnaryOperator<ConversionPlan> planEdit) throws IOException {
        Optional<Hparams> hparams = request.hparams().map(Hparams::read);
        Optional<Vocabulary> vocab = request.vocab().map(Vocabulary::read);
        vocab.ifPresent(Vocabulary::requireUsableForTokenizerFiles); // before any work: a bad vocabulary is the user's to fix
        try (TfCheckpoint checkpoint = TfCheckpoint.open(request.checkpoint())) {
            ConversionPlan plan = planEdit.apply(plan(checkpoint, request.model(), hparams));
            HeadKind head = plan.model().head();
            if (request.formats().contains(KerasH5Format.FORMAT) && head != HeadKind.PRETRAINING && head != HeadKind.MASKED_LM) {
                // the Keras layout is written as transformers 4.x's TF classes save it, checked against files they
                // wrote; for the other heads no such reference was checked, so no such file is written
                throw new UnsupportedInputException(null, "tf_model.h5 (--format tf) is written for ElectraForPreTraining "
                        + "and ElectraForMaskedLM only; the " + plan.model().choice().describe() + " becomes "
                        + head.architecture() + ": write it as safetensors or pytorch");
            }
            if (head == HeadKind.MASKED_LM && !plan.config().hiddenAct().equals("gelu")) {
                // the original's generator head applies hidden_act; transformers' ElectraGeneratorPredictions always
                // applies gelu, so any other activation would load cleanly and compute something else
                ConfigValue act = plan.model().provenance().get("hidden_act");
                throw new UnsupportedInputException(act.source().file().orElse(checkpoint.indexFile()), "the generator's "
                        + "hidden_act is " + act.value() + " (" + act.source().detail() + "), but transformers' "
                        + "ElectraForMaskedLM always applies gelu in its generator head; only a gelu generator converts exactly");
            }
            plan = plan.withConfig(plan.config().withDtype(request.dtype().torchName()));
            if (vocab.isPresent() && vocab.get().size() > plan.config().vocabSize()) {
                throw new BadInputException(vocab.get().file(), "vocab has " + vocab.get().size()
                        + " tokens but the model's embedding table has " + plan.config().vocabSize() + " rows");
            }
            RoundingErrorMeter rounding = new RoundingErrorMeter(request.dtype());
            // reading starts while the staging folder and the first file's header are prepared
            try (CheckpointTensors source = CheckpointTensors.open(checkpoint, plan, request.formats().get(0).streamsInOrder());
                 StagedOutput staged = StagedOutput.create(request.out(), request.overwrite(), inputFiles(request, checkpoint))) {
                List<OutputTensor> tensors = rounding.watch(source.tensors());
                long perFormat = tensors.stream().mapToLong(t -> t.numElements() * request.dtype().byteSize()).sum();
                ProgressCounter progress = new ProgressCounter(perFormat * request.formats().size(), listener);
                // config and tokenizer files beside the weights: their JSON start-up (~0.1 s) then costs no wall time
                ConversionPlan finalPlan = plan;
                CompletableFuture<Void> metadata = CompletableFuture.runAsync(() -> writeMetadata(finalPlan, vocab, staged.dir()));
                try {
                    for (WeightsFormat format : request.formats()) {
                        writeWeights(format, tensors, request, staged.dir(), progress);
                    }
                } finally {
                    awaitQuietly(metadata); // never leave it writing into a folder about to be removed
                }
                Futures.await(metadata);
                List<String> files = listFiles(staged.dir());
                List<String> replaced = staged.commit();
                Map<String, Double> errors = new LinkedHashMap<>();
                Map<String, Double> measured = rounding.maxErrors();
                tensors.forEach(t -> {
                    if (measured.containsKey(t.name())) {
                        errors.put(t.name(), measured.get(t.name()));
                    }
                });
                return new ConversionResult(plan, request.out(), files, replaced, perFormat, errors);
            } catch (IOException e) {
                // disk full, permissions, ...: say where and why; the working folder is already gone
                String where = e instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile() + ": " : "";
                throw new IOException(request.out() + ": cannot write the output: " + where + IoErrors.reason(e), e);
            }
        }
    }

    /** The checkpoint's files, which the output must keep apart from. */
    private static List<Path> inputFiles(ConversionRequest request, TfCheckpoint checkpoint) {
        List<Path> files = new ArrayList<>(checkpoint.dataFiles());
        files.add(checkpoint.indexFile());
        Path stateFile = request.checkpoint().resolve("checkpoint");
        if (Files.isDirectory(request.checkpoint()) && Files.exists(stateFile)) {
            files.add(stateFile);
        }
        return files;
    }

    private static void writeWeights(WeightsFormat format, List<OutputTensor> tensors, ConversionRequest request, Path dir,
                                     ProgressCounter progress) throws IOException {
        ShardPlan shards = format.shardable() && request.maxShardBytes().isPresent()
                ? ShardPlan.split(tensors, request.dtype(), request.maxShardBytes().getAsLong())
                : ShardPlan.single(tensors, request.dtype());
        for (int i = 0; i < shards.shards().size(); i++) {
            format.writeFile(dir.resolve(shards.fileName(format, i)), shards.shards().get(i), request.dtype(), progress);
        }
        if (shards.sharded()) {
            Files.writeString(dir.resolve(format.indexFileName()), shards.indexJson(format));
        }
    }

    private static void writeMetadata(ConversionPlan plan, Optional<Vocabulary> vocab, Path dir) {
        try {
            Files.writeString(dir.resolve("config.json"), plan.config().toJson());
            if (vocab.isPresent()) {
                TokenizerFiles.write(vocab.get(), plan.config().maxPositionEmbeddings(), dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitQuietly(CompletableFuture<Void> task) {
        task.handle((ok, error) -> null).join();
    }

    private static List<String> listFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
