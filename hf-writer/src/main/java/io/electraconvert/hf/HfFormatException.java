package io.electraconvert.hf;

import io.electraconvert.tfreader.CheckpointException;
import java.nio.file.Path;

/** A HuggingFace-side file (config, weights, hparams, vocab) is missing, malformed or contradicts the checkpoint. */
public class HfFormatException extends RuntimeException {
    private final Path file;

    public HfFormatException(Path file, String problem) {
        this(file, problem, null);
    }

    public HfFormatException(Path file, String problem, Throwable cause) {
        super(CheckpointException.oneLine(file + ": " + problem), cause);
        this.file = file;
    }


    public Path file() {
        return file;
    }
}
