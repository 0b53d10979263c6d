package io.electraconvert.cli;

import io.electraconvert.error.ElectraConvertException;
import io.electraconvert.error.ParityException;
import io.electraconvert.files.IoErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

/** What the user is told about a failure, and the exit code: the one place where failures become exit codes. */
record Failure(String message, int exitCode) {
    static Failure of(Throwable e) {
        if (e instanceof ParityException) {
            return new Failure("parity failure: " + e.getMessage(), ExitCodes.PARITY_FAILURE);
        }
        if (e instanceof ElectraConvertException) { // bad, damaged or unsupported input
            return new Failure(e.getMessage(), ExitCodes.BAD_INPUT);
        }
        if (e instanceof UncheckedIOException u) {
            e = u.getCause();
        }
        if (e instanceof FileSystemException fs) { // Java's file exceptions: the path, the OS reason in words
            return new Failure((fs.getFile() != null ? fs.getFile() + ": " : "") + IoErrors.reason(fs), ExitCodes.BAD_INPUT);
        }
        if (e instanceof IOException io) { // ours carry a sentence naming the file
            return new Failure(io.getMessage() != null ? io.getMessage() : "I/O error", ExitCodes.BAD_INPUT);
        }
        if (e instanceof OutOfMemoryError) {
            long mib = Runtime.getRuntime().maxMemory() >> 20;
            return new Failure("out of memory (the JVM may use " + mib + " MiB); give it more with "
                    + "ELECTRA_CONVERT_JAVA_OPTS=-Xmx<size>, e.g. -Xmx" + Math.max(1, mib * 4 / 1024) + "g", ExitCodes.BAD_INPUT);
        }
        if (e instanceof StackOverflowError) {
            return new Failure("input nested too deeply to process (stack overflow)", ExitCodes.BAD_INPUT);
        }
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? "no details" : e.getMessage();
        return new Failure("internal error, please report it (--verbose shows where): " + detail, ExitCodes.INTERNAL);
    }
}
