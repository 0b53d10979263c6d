package io.electraconvert.verify.parity;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What to verify: a converted folder against the checkpoint it came from.
 *
 * @param network   {@code discriminator}, {@code generator} or {@code body}; ignored with a {@code task}
 * @param task      a fine-tuning task whose head the folder holds (e.g. {@code mnli})
 * @param hparams   the hparams the checkpoint was trained with, when not beside it (they give the original's heads)
 * @param formats   the weight formats of the folder to check ({@code safetensors}, ...); empty: every one present
 * @param tolerance allowed difference; empty: by the folder's weights (1e-5 float32, 1e-2 float16, 5e-2 bfloat16)
 * @param text      a sentence to add to the inputs (needs the folder's {@code vocab.txt})
 * @param strict    a config value the original's defaults alone give (a guess) fails the check
 */
public record ParityRequest(Path checkpoint, Path folder, String network, Optional<String> task, Optional<Path> hparams,
                            List<String> formats, OptionalDouble tolerance, Optional<String> text, boolean strict) {
    public ParityRequest {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(network, "network");
        formats = List.copyOf(formats);
    }

    public static ParityRequest of(Path checkpoint, Path folder, String network) {
        return new ParityRequest(checkpoint, folder, network, Optional.empty(), Optional.empty(), List.of(),
                OptionalDouble.empty(), Optional.empty(), false);
    }

    public ParityRequest withTask(String value) {
        return new ParityRequest(checkpoint, folder, network, Optional.of(value), hparams, formats, tolerance, text, strict);
    }

    public ParityRequest withHparams(Path value) {
        return new ParityRequest(checkpoint, folder, network, task, Optional.of(value), formats, tolerance, text, strict);
    }

    public ParityRequest withFormats(List<String> value) {
        return new ParityRequest(checkpoint, folder, network, task, hparams, value, tolerance, text, strict);
    }

    public ParityRequest withTolerance(double value) {
        return new ParityRequest(checkpoint, folder, network, task, hparams, formats, OptionalDouble.of(value), text, strict);
    }

    public ParityRequest withText(String value) {
        return new ParityRequest(checkpoint, folder, network, task, hparams, formats, tolerance, Optional.of(value), strict);
    }

    public ParityRequest withStrict(boolean value) {
        return new ParityRequest(checkpoint, folder, network, task, hparams, formats, tolerance, text, value);
    }
}
