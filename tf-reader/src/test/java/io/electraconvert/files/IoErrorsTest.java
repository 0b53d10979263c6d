package io.electraconvert.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OS reason survives: Java's file exceptions often carry nothing but the path. */
class IoErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void reasonsInWords() {
        assertEquals("permission denied", IoErrors.reason(new AccessDeniedException("/out/x")));
        assertEquals("not found", IoErrors.reason(new NoSuchFileException("/out/x")));
        assertEquals("No space left on device", IoErrors.reason(new FileSystemException("/out/x", null, "No space left on device")));
        assertEquals("No space left on device", IoErrors.reason(new IOException("No space left on device")));
    }

    @Test
    void aParentThatIsAFileIsSaidSo() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        try {
            Files.createDirectory(file.resolve("out"));
            throw new AssertionError("created a folder inside a file");
        } catch (IOException e) {
            assertEquals("Not a directory", IoErrors.reason(e));
        }
    }
}
