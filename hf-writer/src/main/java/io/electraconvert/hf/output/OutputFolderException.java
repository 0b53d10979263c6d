package io.electraconvert.hf.output;

import io.electraconvert.error.BadInputException;
import java.nio.file.Path;
import java.util.List;

/**
 * The output folder cannot be used as asked: it holds model files the request does not allow replacing, is not a
 * folder, is too close to the checkpoint, or another conversion into it is under way.
 */
public class OutputFolderException extends BadInputException {
    private static final long serialVersionUID = 1L;

    private final List<String> existingModelFiles;

    public OutputFolderException(Path out, List<String> files) {
        super(out, "output folder already holds model files (" + String.join(", ", files)
                + "); the request does not allow replacing them");
        this.existingModelFiles = List.copyOf(files);
    }

    public OutputFolderException(Path out, String problem) {
        this(out, problem, null);
    }

    public OutputFolderException(Path out, String problem, Throwable cause) {
        super(out, problem, cause);
        this.existingModelFiles = List.of();
    }

    /** The model files that stopped a conversion not allowed to replace them; empty for the other problems. */
    public List<String> existingModelFiles() {
        return existingModelFiles;
    }
}
