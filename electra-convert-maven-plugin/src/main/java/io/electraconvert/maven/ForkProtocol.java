package io.electraconvert.maven;

import io.electraconvert.error.ElectraConvertException;
import io.electraconvert.maven.LogLines.Level;
import io.electraconvert.maven.VerifyRun.Kind;
import io.electraconvert.maven.VerifyRun.Outcome;
import java.util.Optional;

/**
 * What the forked verify JVM writes on its standard output, one line each: {@code LEVEL text} for a log line
 * ({@code INFO}, {@code WARN}, ...), then {@code RESULT KIND message} once, last. Anything else on that stream is
 * passed on to the log as it is.
 */
final class ForkProtocol {
    static final String RESULT = "RESULT";

    private ForkProtocol() {}

    static String logLine(Level level, String text) {
        return level.name() + " " + ElectraConvertException.oneLine(text);
    }

    static String resultLine(Outcome outcome) {
        return RESULT + " " + outcome.kind().name() + " " + ElectraConvertException.oneLine(outcome.message());
    }

    /** The outcome a {@code RESULT} line gives; empty for any other line. */
    static Optional<Outcome> result(String line) {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].equals(RESULT)) {
            return Optional.empty();
        }
        for (Kind kind : Kind.values()) {
            if (kind.name().equals(parts[1])) {
                return Optional.of(new Outcome(kind, parts.length == 3 ? parts[2] : ""));
            }
        }
        return Optional.empty();
    }

    /** Passes a line to the log: at its level when it has one, else (stray output) at INFO as it is. */
    static void relay(String line, LogLines log) {
        int space = line.indexOf(' ');
        if (space > 0) {
            for (Level level : Level.values()) {
                if (line.regionMatches(0, level.name(), 0, space) && level.name().length() == space) {
                    log.line(level, line.substring(space + 1));
                    return;
                }
            }
        }
        log.info(line);
    }
}
