package io.electraconvert.hf.convert;

import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.weights.OutputDType;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What to convert and where.
 *
 * @param checkpoint a checkpoint prefix or directory
 * @param hparams    optional google-research/electra hparams or BERT-style config JSON, which wins over inference
 * @param vocab      optional {@code vocab.txt}; when given the tokenizer files are written too
 * @param overwrite  replace an existing {@code out} (only once the new output is complete)
 */
public record ConversionRequest(Path checkpoint, ElectraNetwork network, Path out, Optional<Path> hparams,
                                Optional<Path> vocab, boolean overwrite, OutputDType dtype) {
    public ConversionRequest {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(hparams, "hparams");
        Objects.requireNonNull(vocab, "vocab");
        Objects.requireNonNull(dtype, "dtype");
    }

    public static ConversionRequest of(Path checkpoint, ElectraNetwork network, Path out) {
        return new ConversionRequest(checkpoint, network, out, Optional.empty(), Optional.empty(), false, OutputDType.FLOAT32);
    }

    public ConversionRequest withHparams(Path file) {
        return new ConversionRequest(checkpoint, network, out, Optional.of(file), vocab, overwrite, dtype);
    }

    public ConversionRequest withVocab(Path file) {
        return new ConversionRequest(checkpoint, network, out, hparams, Optional.of(file), overwrite, dtype);
    }

    public ConversionRequest withOverwrite(boolean value) {
        return new ConversionRequest(checkpoint, network, out, hparams, vocab, value, dtype);
    }
}
