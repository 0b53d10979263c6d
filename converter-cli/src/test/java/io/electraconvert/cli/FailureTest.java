package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.error.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

/** Every failure becomes one message and one exit code here, Errors included. */
class FailureTest {
    @Test
    void errorsAreContainedAsOneLineWithExitOne() {
        Failure oom = Failure.of(new OutOfMemoryError("Java heap space"));
        assertEquals(ExitCodes.BAD_INPUT, oom.exitCode());
        assertTrue(oom.message().startsWith("out of memory (the JVM may use "), oom.message());
        assertTrue(oom.message().contains("ELECTRA_CONVERT_JAVA_OPTS=-Xmx"), oom.message());
        Failure deep = Failure.of(new StackOverflowError());
        assertEquals(new Failure("input nested too deeply to process (stack overflow)", ExitCodes.BAD_INPUT), deep);
    }

    @Test
    void inputProblemsKeepTheirMessageAndOsReasonsAreInWords() {
        assertEquals(new Failure("/x: bad", ExitCodes.BAD_INPUT), Failure.of(new BadInputException(java.nio.file.Path.of("/x"), "bad")));
        assertEquals(new Failure("/out/model.safetensors: permission denied", ExitCodes.BAD_INPUT),
                Failure.of(new UncheckedIOException(new AccessDeniedException("/out/model.safetensors"))));
        assertEquals(new Failure("/out: cannot write the output: No space left on device", ExitCodes.BAD_INPUT),
                Failure.of(new IOException("/out: cannot write the output: No space left on device")));
    }

    @Test
    void anythingElseIsAnInternalErrorWithoutAClassName() {
        Failure bug = Failure.of(new IllegalStateException("slab index 7 out of order"));
        assertEquals(ExitCodes.INTERNAL, bug.exitCode());
        assertEquals("internal error, please report it (--verbose shows where): slab index 7 out of order", bug.message());
        assertEquals("internal error, please report it (--verbose shows where): no details",
                Failure.of(new NullPointerException()).message());
    }
}
