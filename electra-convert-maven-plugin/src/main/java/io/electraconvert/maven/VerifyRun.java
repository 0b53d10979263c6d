package io.electraconvert.maven;

import io.electraconvert.error.ElectraConvertException;
import io.electraconvert.verify.parity.ParityCheck;
import io.electraconvert.verify.parity.ParityReport;
import io.electraconvert.verify.parity.ParityReportJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The verify goal's work, the same in Maven's JVM and in a forked one: the check, its summary, the JSON report.
 * Free of Maven's API (a forked JVM has none); the goal turns the {@link Outcome} into the build's result.
 */
final class VerifyRun {
    /** A parity failure and a bad input both fail the build the same way, with their one line. */
    enum Kind { PASS, FAILURE }

    /** @param message the one-line reason; empty for a pass */
    record Outcome(Kind kind, String message) {
        static final Outcome PASS = new Outcome(Kind.PASS, "");
    }

    private VerifyRun() {}

    /** @param forked whether this JVM is the one the goal forked */
    static Outcome run(VerifyJob job, boolean forked, LogLines log) {
        ParityReport report;
        try {
            report = ParityCheck.run(job.request());
            ParitySummary.log(report, forked, log);
            if (job.report().isPresent()) {
                write(job.report().get(), ParityReportJson.write(report));
                log.info("report: " + job.report().get());
            }
        } catch (ElectraConvertException | IOException | UncheckedIOException e) {
            return new Outcome(Kind.FAILURE, Failures.message(e));
        }
        return report.pass() ? Outcome.PASS
                : new Outcome(Kind.FAILURE, ElectraConvertException.oneLine(report.failure().orElseThrow()));
    }

    private static void write(Path file, String json) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, json);
    }
}
