package io.electraconvert.hf.convert;

import io.electraconvert.hf.HfFormatException;
import java.nio.file.Path;

/** The output folder exists and the caller did not ask to replace it. */
public class OutputExistsException extends HfFormatException {
    public OutputExistsException(Path out) {
        super(out, "output already exists; pass --force to replace it");
    }
}
