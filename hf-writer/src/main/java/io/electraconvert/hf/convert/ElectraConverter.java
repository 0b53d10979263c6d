package io.electraconvert.hf.convert;

import io.electraconvert.error.BadInputException;
import io.electraconvert.hf.electra.ElectraCheckpointModel;
import io.electraconvert.hf.electra.Hparams;
import io.electraconvert.hf.electra.NetworkLayout;
import io.electraconvert.hf.electra.TensorShapes;
import io.electraconvert.hf.plan.ConversionPlan;
import io.electraconvert.hf.plan.ConversionPlanner;
import io.electraconvert.hf.output.StagedOutput;
import io.electraconvert.hf.tokenizer.TokenizerFiles;
import io.electraconvert.hf.tokenizer.Vocabulary;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.RoundingErrorMeter;
import io.electraconvert.hf.weights.ShardPlan;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.hf.io.Futures;
import io.electraconvert.hf.weights.ProgressCounter;
import io.electraconvert.hf.weights.ProgressListener;
import io.electraconvert.tfreader.TfCheckpoint;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.files.IoErrors;
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
import java.util.stream.Stream;

/**
 * Converts one network of an ELECTRA pretraining checkpoint into a HuggingFace model folder. The library's entry
 * point: no printing, no exit; failures are {@link io.electraconvert.error.ElectraConvertException}s (bad, damaged
 * or unsupported input, each with a one-line message) or {@link IOException}s. Output is staged beside
 * {@code out} and renamed into place only when complete.
 */
public final class ElectraConverter {
    private ElectraConverter() {}

    /** How the network's variables map to HF keys, with the config from shapes and {@code hparams}. */
    public static ConversionPlan plan(TfCheckpoint checkpoint, ElectraNetwork network, Optional<Hparams> hparams) {
        TensorShapes shapes = TensorShapes.of(checkpoint.indexFile(), checkpoint.tensors());
        NetworkLayout layout = ElectraCheckpointModel.recognise(shapes).require(network);
        if (hparams.isPresent()) {
            layout = layout.withConfig(hparams.get().apply(layout.config(), network));
        }
        return ConversionPlanner.plan(shapes, layout);
    }

    public static ConversionResult convert(ConversionRequest request, ProgressListener listener) throws IOException {
        Optional<Hparams> hparams = request.hparams().map(Hparams::read);
        Optional<Vocabulary> vocab = request.vocab().map(Vocabulary::read);
        vocab.ifPresent(Vocabulary::requireUsableForTokenizerFiles); // before any work: a bad vocabulary is the user's to fix
        try (TfCheckpoint checkpoint = TfCheckpoint.open(request.checkpoint())) {
            ConversionPlan plan = plan(checkpoint, request.network(), hparams);
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
            Files.writeString(dir.resolve(ShardPlan.indexFileName(format)), shards.indexJson(format));
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
