package io.electraconvert.error;

import java.nio.file.Path;

/** An input file or value is missing, unreadable, malformed, too large, or contradicts another input. */
public class BadInputException extends ElectraConvertException {
    private static final long serialVersionUID = 1L;

    public BadInputException(Path file, String problem) {
        super(file, problem);
    }

    public BadInputException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }

    /** A problem in no one file: an option value, a sentence, inputs built in memory. */
    public BadInputException(String problem) {
        super(null, problem);
    }

    public BadInputException(String problem, Throwable cause) {
        super(null, problem, cause);
    }
}
