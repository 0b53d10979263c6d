package io.electraconvert.verify;

import io.electraconvert.error.BadInputException;
import java.nio.file.Path;

/** A model that cannot be loaded or run: missing weight, shape mismatch against the config, bad config or input. */
public class ModelException extends BadInputException {
    private static final long serialVersionUID = 1L;

    /** A problem in {@code file} (null when it lies in no one file, e.g. an input built in memory). */
    public ModelException(Path file, String problem) {
        super(file, problem);
    }

    public ModelException(String message) {
        super(null, message);
    }

    public ModelException(String message, Throwable cause) {
        super(null, message, cause);
    }
}
