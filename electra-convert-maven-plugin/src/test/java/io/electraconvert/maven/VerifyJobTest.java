package io.electraconvert.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.electraconvert.verify.parity.ParityRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verify job crosses to the forked JVM as arguments: every field must arrive as it left. */
class VerifyJobTest {
    @Test
    void everyFieldSurvivesTheArguments() {
        ParityRequest request = ParityRequest.of(Path.of("/ckpt/model.ckpt-1000"), Path.of("/out/model"), "")
                .withTask("mnli").withHparams(Path.of("/ckpt/hparams.json")).withFormats(List.of("safetensors", "tf"))
                .withTolerance(2.5e-4).withText("a sentence --strict with spaces").withStrict(true);
        VerifyJob job = new VerifyJob(request, Optional.of(Path.of("/out/parity.json")));
        assertEquals(job, VerifyJob.fromArgs(job.toArgs()));
    }

    @Test
    void relativePathsLeaveAbsolute() {
        VerifyJob job = new VerifyJob(ParityRequest.of(Path.of("ckpt"), Path.of("out"), "discriminator"),
                Optional.empty());
        VerifyJob back = VerifyJob.fromArgs(job.toArgs());
        assertEquals(Path.of("ckpt").toAbsolutePath(), back.request().checkpoint());
        assertEquals(Path.of("out").toAbsolutePath(), back.request().folder());
        assertEquals(Optional.empty(), back.report());
    }

    @Test
    void malformedArgumentsAreRefused() {
        assertEquals("no value after --folder",
                assertThrows(IllegalArgumentException.class, () -> VerifyJob.fromArgs(List.of("--folder"))).getMessage());
        assertEquals("unknown argument --bogus",
                assertThrows(IllegalArgumentException.class, () -> VerifyJob.fromArgs(List.of("--bogus", "x"))).getMessage());
    }
}
