package io.electraconvert.tfreader;

import java.nio.file.Path;

/** A legal tensor-bundle feature this reader deliberately refuses rather than risk misreading. */
public class UnsupportedCheckpointFeatureException extends CheckpointException {
    private static final long serialVersionUID = 1L;

    public UnsupportedCheckpointFeatureException(Path file, String problem) {
        super(file, problem);
    }
}
