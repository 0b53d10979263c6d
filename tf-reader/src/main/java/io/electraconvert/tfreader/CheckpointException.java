package io.electraconvert.tfreader;

import io.electraconvert.error.BadInputException;
import java.nio.file.Path;

/**
 * Base of everything tf-reader throws for a bad or unsupported checkpoint. The message is one line that names
 * the file and the problem, fit to show a user as it is.
 */
public class CheckpointException extends BadInputException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(Path file, String problem) {
        this(file, problem, null);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }
}
