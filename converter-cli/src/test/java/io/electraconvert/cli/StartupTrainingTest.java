package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's training run for its start-up archive: every command it runs must succeed as written. */
class StartupTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void everyCommandOfTheTrainingRunSucceeds() throws Exception {
        List<String> failed = StartupTraining.run(Fixtures.checkpoint("small"), Fixtures.vocab(), tmp);
        assertEquals(List.of(), failed);
        // the converted folders exist in every format, so the readers of all three were exercised
        for (String file : List.of("model.safetensors", "pytorch_model.bin", "tf_model.h5")) {
            assertTrue(Files.isRegularFile(tmp.resolve("disc").resolve(file)), file);
        }
    }
}
