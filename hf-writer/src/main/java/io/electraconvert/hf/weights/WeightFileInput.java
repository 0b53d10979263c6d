package io.electraconvert.hf.weights;

import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import io.electraconvert.hf.HfFormatException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * How the readers of weight files open them: through {@link InputFiles} (regular files only, so a FIFO named
 * model.safetensors is refused rather than waited on), a failure reported like every other problem of a HuggingFace
 * file, as an {@link HfFormatException}.
 */
public final class WeightFileInput {
    private WeightFileInput() {}

    public static FileChannel open(Path file) {
        try {
            return InputFiles.openChannel(file, "weights file");
        } catch (HfFormatException e) {
            throw e;
        } catch (BadInputException e) {
            String prefix = file + ": ";
            String message = e.getMessage();
            throw new HfFormatException(file, message.startsWith(prefix) ? message.substring(prefix.length()) : message, e);
        }
    }
}
