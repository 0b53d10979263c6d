package io.electraconvert.error;

import java.nio.file.Path;
import java.util.Locale;

/** Stored and computed CRC-32C disagree: the bytes on disk are not the bytes that were written. */
public class ChecksumException extends BadInputException {
    private static final long serialVersionUID = 1L;

    public ChecksumException(Path file, String what, int expected, int actual) {
        super(file, String.format(Locale.ROOT, "checksum mismatch in %s (stored crc32c %08x, computed %08x)", what, expected, actual));
    }
}
