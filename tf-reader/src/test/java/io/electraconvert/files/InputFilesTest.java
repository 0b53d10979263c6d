package io.electraconvert.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.electraconvert.error.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code -} is standard input, read under the same cap as a file of its kind, and named {@code <stdin>} in errors. */
class InputFilesTest {
    private static <T> T withStdin(byte[] bytes, java.util.function.Supplier<T> read) {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(bytes));
            return read.get();
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void dashReadsStandardInput() {
        byte[] text = "[PAD]\n[UNK]\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(text, withStdin(text, () -> InputFiles.readAllBytes(Path.of("-"), "vocab file", 12)));
        assertEquals("[PAD]\n[UNK]\n", withStdin(text, () -> InputFiles.readUtf8(InputFiles.STDIN, "vocab file", 12)));
    }

    @Test
    void standardInputIsCappedLikeAFile() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> withStdin(new byte[13], () -> InputFiles.readAllBytes(InputFiles.STDIN, "vocab file", 12)));
        assertEquals("<stdin>: vocab file exceeds 12 bytes; no real one is that large, so it is not read", e.getMessage());
    }

    @Test
    void notUtf8OnStandardInputIsNamedSo() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> withStdin(new byte[] {(byte) 0xff}, () -> InputFiles.readUtf8(InputFiles.STDIN, "vocab file", 12)));
        assertEquals("<stdin>: vocab file is not UTF-8 text", e.getMessage());
    }
}
