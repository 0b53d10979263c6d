package io.electraconvert.tfreader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.electraconvert.error.ElectraConvertException;
import io.electraconvert.testsupport.Fixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a directory's {@code checkpoint} state file is followed, and the state files that must not be. */
class CheckpointLocatorTest {
    @TempDir
    Path root;
    Path dir;

    /** A copy of the released fixture's bundle (prefix {@code electra_small}) in {@code root/ckpt}. */
    @BeforeEach
    void copyBundle() throws IOException {
        dir = Files.createDirectory(root.resolve("ckpt"));
        Path released = Fixtures.checkpoint("released");
        for (String name : new String[] {"electra_small.index", "electra_small.data-00000-of-00001"}) {
            Files.copy(released.resolve(name), dir.resolve(name));
        }
    }

    private void stateFile(String text) throws IOException {
        Files.writeString(dir.resolve("checkpoint"), text, StandardCharsets.UTF_8);
    }

    @Test
    void followsAThousandsOfCharactersLongGcsPathByItsBasename() throws IOException {
        String path = "gs://bucket/" + "very-long-directory-name/".repeat(120) + "electra_small";
        assertEquals(3025, path.length());
        stateFile("model_checkpoint_path: \"" + path + "\"\nall_model_checkpoint_paths: \"" + path + "\"\n");
        assertEquals(dir.resolve("electra_small").toAbsolutePath(), CheckpointLocator.resolvePrefix(dir));
    }

    @Test
    void decodesTextFormatEscapesAndAdjacentParts() throws IOException {
        for (String name : new String[] {"electra_small.index", "electra_small.data-00000-of-00001"}) {
            Files.move(dir.resolve(name), dir.resolve(name.replace("electra_small", "caf\u00e9 \"q\"")));
        }
        stateFile("model_checkpoint_path: \"/train/x/caf\\303\\251 \" '\\\"q\\x22'\n");
        assertEquals(dir.resolve("caf\u00e9 \"q\"").toAbsolutePath(), CheckpointLocator.resolvePrefix(dir));
    }

    @Test
    void aPathWithNoBasenameNeverReachesOutsideTheFolder() throws IOException {
        // "<dir>.index" beside the folder would be read if the empty basename resolved to the folder itself
        Files.copy(dir.resolve("electra_small.index"), root.resolve("ckpt.index"));
        Files.copy(dir.resolve("electra_small.data-00000-of-00001"), root.resolve("ckpt.data-00000-of-00001"));
        for (String recorded : new String[] {"", "/", "///", ".", "..", "gs://b/..", "a/./"}) {
            stateFile("model_checkpoint_path: \"" + recorded + "\"\n");
            ElectraConvertException e = assertThrows(ElectraConvertException.class, () -> CheckpointLocator.resolvePrefix(dir));
            assertEquals(dir.resolve("checkpoint").toAbsolutePath() + ": model_checkpoint_path \"" + recorded
                    + "\" names no checkpoint file", e.getMessage(), recorded);
        }
    }

    @Test
    void malformedValuesAreOneLineErrors() throws IOException {
        String[][] cases = {
                {"model_checkpoint_path: \"unterminated\n", "unterminated string"},
                {"model_checkpoint_path: bare\n", "value is not a quoted string"},
                {"model_checkpoint_path: \"a\\q\"\n", "unknown escape \\q"},
                {"model_checkpoint_path: \"\\377\"\n", "escaped bytes are not UTF-8"},
                {"all_model_checkpoint_paths: \"x\"\n", null},
        };
        for (String[] c : cases) {
            stateFile(c[0]);
            ElectraConvertException e = assertThrows(ElectraConvertException.class, () -> CheckpointLocator.resolvePrefix(dir));
            String expected = c[1] == null ? "checkpoint state file has no model_checkpoint_path line"
                    : "malformed model_checkpoint_path in checkpoint state file: " + c[1];
            assertEquals(dir.resolve("checkpoint").toAbsolutePath() + ": " + expected, e.getMessage());
        }
    }

    @Test
    void aMegabyteOfBackslashesIsReadInLinearTime() throws IOException {
        stateFile("model_checkpoint_path: \"" + "\\\\".repeat(1 << 20) + "electra_small\"\n");
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertEquals(dir.resolve("electra_small").toAbsolutePath(), CheckpointLocator.resolvePrefix(dir)));
    }

    @Test
    void aHugeSparseStateFileIsRefusedUnread() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("checkpoint").toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        ElectraConvertException e = assertThrows(ElectraConvertException.class, () -> CheckpointLocator.resolvePrefix(dir));
        assertEquals(dir.resolve("checkpoint").toAbsolutePath() + ": checkpoint state file is 3221225472 bytes; no real one "
                + "exceeds 67108864, so it is not read", e.getMessage());
    }

    @Test
    void aFifoStateFileIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("checkpoint");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is not available here");
        ElectraConvertException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ElectraConvertException.class, () -> CheckpointLocator.resolvePrefix(dir)));
        assertEquals(fifo.toAbsolutePath() + ": checkpoint state file is not a regular file (a FIFO, device or socket)",
                e.getMessage());
    }
}
