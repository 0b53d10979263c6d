package io.electraconvert.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.electraconvert.maven.LogLines.Level;
import io.electraconvert.maven.VerifyRun.Kind;
import io.electraconvert.maven.VerifyRun.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The forked JVM's standard output: log lines at their level, one result line, stray output kept. */
class ForkProtocolTest {
    @Test
    void resultLinesRoundTrip() {
        Outcome failure = new Outcome(Kind.FAILURE, "safetensors weights: first diverging tensor is logits");
        assertEquals(Optional.of(failure), ForkProtocol.result(ForkProtocol.resultLine(failure)));
        assertEquals(Optional.of(Outcome.PASS), ForkProtocol.result(ForkProtocol.resultLine(Outcome.PASS)));
    }

    @Test
    void aMultiLineMessageBecomesOneLine() {
        Outcome outcome = ForkProtocol.result(ForkProtocol.resultLine(new Outcome(Kind.FAILURE, "first\nsecond"))).orElseThrow();
        assertEquals(1, outcome.message().lines().count(), outcome.message());
    }

    @Test
    void otherLinesAreNotResults() {
        assertEquals(Optional.empty(), ForkProtocol.result("RESULT MAYBE x"));
        assertEquals(Optional.empty(), ForkProtocol.result("INFO RESULT PASS"));
        assertEquals(Optional.empty(), ForkProtocol.result("RESULT"));
    }

    @Test
    void logLinesKeepTheirLevelAndStrayOutputGoesToInfo() {
        List<String> seen = new ArrayList<>();
        LogLines log = (level, text) -> seen.add(level + ":" + text);
        ForkProtocol.relay(ForkProtocol.logLine(Level.WARN, "unverified config value"), log);
        ForkProtocol.relay("DEBUG config vocab_size = 100", log);
        ForkProtocol.relay("INFORMATION from a library", log);
        ForkProtocol.relay("plain", log);
        assertEquals(List.of("WARN:unverified config value", "DEBUG:config vocab_size = 100",
                "INFO:INFORMATION from a library", "INFO:plain"), seen);
    }
}
