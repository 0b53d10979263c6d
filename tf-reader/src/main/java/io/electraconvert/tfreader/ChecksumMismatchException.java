package io.electraconvert.tfreader;

import java.nio.file.Path;

/** Stored and computed CRC-32C disagree: the bytes on disk are not the bytes TensorFlow wrote. */
public class ChecksumMismatchException extends CheckpointException {
    private static final long serialVersionUID = 1L;

    public ChecksumMismatchException(Path file, String what, int expected, int actual) {
        super(file, String.format("checksum mismatch in %s (stored crc32c %08x, computed %08x)", what, expected, actual));
    }
}
