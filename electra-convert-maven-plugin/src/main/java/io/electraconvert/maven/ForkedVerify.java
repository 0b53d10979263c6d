package io.electraconvert.maven;

import io.electraconvert.maven.VerifyRun.Outcome;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The main class of the JVM the verify goal forks (with {@code --add-modules jdk.incubator.vector}): runs the job its
 * arguments describe ({@link VerifyJob#toArgs()}) and reports on standard output by {@link ForkProtocol}, in UTF-8.
 * It always ends normally once the result line is out; an error it does not expect ends it with a stack trace on
 * standard error and no result line, which the goal reports.
 */
public final class ForkedVerify {
    private ForkedVerify() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        VerifyJob job = VerifyJob.fromArgs(List.of(args));
        Outcome outcome = VerifyRun.run(job, true, (level, text) -> out.println(ForkProtocol.logLine(level, text)));
        out.println(ForkProtocol.resultLine(outcome));
        out.flush();
    }
}
