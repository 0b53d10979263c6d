package io.electraconvert.hf.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.electraconvert.error.BadInputException;
import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.formats.safetensors.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every weight-file reader refuses what is not a regular file before opening it (opening a FIFO would block). */
class WeightFileOpeningTest {
    @TempDir
    Path tmp;

    @Test
    void fifoIsRefusedBeforeOpen() throws Exception {
        for (WeightsFormat format : WeightsFormats.all()) { // every format of the registry, a new one too
            Path fifo = tmp.resolve(format.singleFileName());
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
            assumeTrue(mkfifo.waitFor() == 0 && Files.exists(fifo), "mkfifo is not available");
            BadInputException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(BadInputException.class, () -> format.open(fifo).close()));
            assertEquals(fifo + ": weights file is not a regular file (a FIFO, device or socket)", e.getMessage());
        }
    }

    @Test
    void missingFileIsBadInput() {
        Path missing = tmp.resolve("model.safetensors");
        BadInputException e = assertThrows(BadInputException.class, () -> SafetensorsFile.open(missing).close());
        assertEquals(missing + ": weights file not found", e.getMessage());
    }
}
