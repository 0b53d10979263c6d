package io.electraconvert.verify;

/** A model that cannot be loaded or run: missing weight, shape mismatch against the config, bad config or input. */
public class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
