package io.electraconvert.tfreader;

import java.nio.file.Path;

/** The file is missing, truncated or does not follow the tensor-bundle format. */
public class CheckpointFormatException extends CheckpointException {
    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(Path file, String problem) {
        super(file, problem);
    }

    public CheckpointFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }
}
