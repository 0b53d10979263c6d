package io.electraconvert.hf.weights;

import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.electraconvert.hf.formats.h5.KerasH5File;
import io.electraconvert.hf.formats.pytorch.PytorchBinFile;
import io.electraconvert.hf.formats.safetensors.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every weight-file reader refuses what is not a regular file before opening it (opening a FIFO would block). */
class WeightFileOpeningTest {
    @TempDir
    Path tmp;

    @Test
    void fifoIsRefusedBeforeOpen() throws Exception {
        Map<String, Function<Path, AutoCloseable>> readers = Map.of("model.safetensors", SafetensorsFile::open,
                "pytorch_model.bin", PytorchBinFile::open, "tf_model.h5", KerasH5File::open);
        for (Map.Entry<String, Function<Path, AutoCloseable>> r : readers.entrySet()) {
            Path fifo = tmp.resolve(r.getKey());
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
            assumeTrue(mkfifo.waitFor() == 0 && Files.exists(fifo), "mkfifo is not available");
            BadInputException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(BadInputException.class, () -> r.getValue().apply(fifo).close()));
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
