package io.electraconvert.hf.electra;

import io.electraconvert.hf.HfFormatException;
import java.nio.file.Path;

/** The checkpoint is readable but is not (or not entirely) an ELECTRA pretraining checkpoint this tool understands. */
public class NotElectraCheckpointException extends HfFormatException {
    public NotElectraCheckpointException(Path file, String problem) {
        super(file, problem);
    }
}
