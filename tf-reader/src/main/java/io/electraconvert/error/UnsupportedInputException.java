package io.electraconvert.error;

import java.nio.file.Path;

/**
 * The input is well formed but asks for something the toolkit deliberately does not do (a Snappy-compressed
 * index, a checkpoint that is no ELECTRA model, a head no HuggingFace class computes), rather than risk a wrong
 * result. The message says what was found and the nearest supported choice.
 */
public class UnsupportedInputException extends ElectraConvertException {
    private static final long serialVersionUID = 1L;

    public UnsupportedInputException(Path file, String problem) {
        super(file, problem);
    }
}
