package io.electraconvert.error;

import java.nio.file.Path;

/** A converted model does not compute what its checkpoint computes (the verification's verdict, as an exception). */
public class ParityException extends ElectraConvertException {
    private static final long serialVersionUID = 1L;

    public ParityException(Path folder, String problem) {
        super(folder, problem);
    }
}
