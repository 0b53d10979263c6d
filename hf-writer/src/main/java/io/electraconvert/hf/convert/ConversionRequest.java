package io.electraconvert.hf.convert;

import io.electraconvert.tensor.DType;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.electra.ModelChoice;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.hf.formats.WeightsFormats;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What to convert and where.
 *
 * @param checkpoint a checkpoint prefix or directory
 * @param model      what to convert: a network, the body, or a fine-tuned task's head
 * @param hparams    google-research/electra hparams or BERT-style config JSON, which wins over inference; without
 *                   it, an {@code hparams.json} beside the checkpoint is used
 * @param vocab      optional {@code vocab.txt}; when given the tokenizer files are written too
 * @param overwrite  replace an existing {@code out} (only once the new output is complete)
 * @param formats    weight files to write, at least one
 * @param maxShardBytes split shardable formats into files of at most this many bytes (transformers' rule)
 */
public record ConversionRequest(Path checkpoint, ModelChoice model, Path out, Optional<Path> hparams,
                                Optional<Path> vocab, boolean overwrite, DType dtype, List<WeightsFormat> formats,
                                OptionalLong maxShardBytes) {
    public ConversionRequest {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(hparams, "hparams");
        Objects.requireNonNull(vocab, "vocab");
        Objects.requireNonNull(dtype, "dtype");
        formats = List.copyOf(formats);
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("at least one weights format is needed");
        }
        Objects.requireNonNull(maxShardBytes, "maxShardBytes");
    }

    public static ConversionRequest of(Path checkpoint, ElectraNetwork network, Path out) {
        return of(checkpoint, ModelChoice.of(network), out);
    }

    public static ConversionRequest of(Path checkpoint, ModelChoice model, Path out) {
        return new ConversionRequest(checkpoint, model, out, Optional.empty(), Optional.empty(), false, DType.FLOAT32,
                List.of(WeightsFormats.safetensors()), OptionalLong.empty());
    }

    public ConversionRequest withHparams(Path file) {
        return new ConversionRequest(checkpoint, model, out, Optional.of(file), vocab, overwrite, dtype, formats, maxShardBytes);
    }

    public ConversionRequest withVocab(Path file) {
        return new ConversionRequest(checkpoint, model, out, hparams, Optional.of(file), overwrite, dtype, formats, maxShardBytes);
    }

    public ConversionRequest withOverwrite(boolean value) {
        return new ConversionRequest(checkpoint, model, out, hparams, vocab, value, dtype, formats, maxShardBytes);
    }

    public ConversionRequest withDtype(DType value) {
        return new ConversionRequest(checkpoint, model, out, hparams, vocab, overwrite, value, formats, maxShardBytes);
    }

    public ConversionRequest withFormats(List<WeightsFormat> value) {
        return new ConversionRequest(checkpoint, model, out, hparams, vocab, overwrite, dtype, value, maxShardBytes);
    }

    public ConversionRequest withMaxShardBytes(long value) {
        return new ConversionRequest(checkpoint, model, out, hparams, vocab, overwrite, dtype, formats, OptionalLong.of(value));
    }
}
