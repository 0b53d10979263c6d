package io.electraconvert.maven;

import io.electraconvert.error.ElectraConvertException;
import io.electraconvert.files.IoErrors;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

/** The one line a user is told about a failure of what they gave (a file, a value): the file and the problem. */
final class Failures {
    private Failures() {}

    /** For an {@link ElectraConvertException} or an {@link java.io.IOException} (possibly unchecked). */
    static String message(Exception e) {
        if (e instanceof UncheckedIOException u) {
            return message(u.getCause());
        }
        if (e instanceof FileSystemException fs) { // Java's file exceptions: the path, the OS reason in words
            return (fs.getFile() != null ? fs.getFile() + ": " : "") + IoErrors.reason(fs);
        }
        String m = e.getMessage();
        return ElectraConvertException.oneLine(m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
    }
}
