package io.electraconvert.hf.output;

import io.electraconvert.hf.HfFormatException;
import java.nio.file.Path;
import java.util.List;

/** The output folder already holds model files and the request does not allow replacing them. */
public class OutputExistsException extends HfFormatException {
    private static final long serialVersionUID = 1L;

    public OutputExistsException(Path out, List<String> files) {
        super(out, "output folder already holds model files (" + String.join(", ", files)
                + "); the request does not allow replacing them");
    }

    public OutputExistsException(Path out, String problem) {
        super(out, problem);
    }
}
