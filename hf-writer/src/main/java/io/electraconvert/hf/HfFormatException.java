package io.electraconvert.hf;

import io.electraconvert.error.BadInputException;
import java.nio.file.Path;

/** A HuggingFace-side file (config, weights, hparams, vocab) is missing, malformed or contradicts the checkpoint. */
public class HfFormatException extends BadInputException {
    private static final long serialVersionUID = 1L;

    public HfFormatException(Path file, String problem) {
        this(file, problem, null);
    }

    public HfFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }
}
