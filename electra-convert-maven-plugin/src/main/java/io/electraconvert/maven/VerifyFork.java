package io.electraconvert.maven;

import io.electraconvert.maven.VerifyRun.Outcome;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs a {@link VerifyJob} in a JVM of its own: {@code java} of the runtime Maven runs on, with
 * {@code --add-modules jdk.incubator.vector} when that runtime has the module (so the forward pass takes the Vector
 * API kernel, as the command line's does), the plugin's class path and {@link ForkedVerify} as the main class. Its
 * log lines are passed to Maven's log as they come.
 */
final class VerifyFork {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** What every JVM started with an incubator module prints first on standard error; says nothing here. */
    static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: " + VECTOR_MODULE;

    /** The forked JVM ended without a result: it could not start, crashed, or was interrupted. */
    static final class ForkFailure extends Exception {
        private static final long serialVersionUID = 1L;

        ForkFailure(String message) {
            super(message);
        }
    }

    private VerifyFork() {}

    /** The command line, but for the class path (passed in {@code CLASSPATH}, which has no length limit to hit). */
    static List<String> command(VerifyJob job, List<String> jvmArgs) {
        List<String> command = new ArrayList<>();
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        command.add(Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java").toString());
        if (ModuleFinder.ofSystem().find(VECTOR_MODULE).isPresent()) {
            command.addAll(List.of("--add-modules", VECTOR_MODULE));
        }
        String vector = System.getProperty("electra.vector"); // -Delectra.vector=false chooses the scalar kernel
        if (vector != null) {
            command.add("-Delectra.vector=" + vector);
        }
        command.addAll(jvmArgs);
        command.add(ForkedVerify.class.getName());
        command.addAll(job.toArgs());
        return command;
    }

    static Outcome run(VerifyJob job, List<Path> classpath, List<String> jvmArgs, LogLines log) throws ForkFailure {
        List<String> command = command(job, jvmArgs);
        String cp = classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        log.debug("forking: " + String.join(" ", command));
        log.debug("with CLASSPATH=" + cp);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CLASSPATH", cp);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ForkFailure("cannot start " + command.get(0) + ": " + Failures.message(e));
        }
        List<String> stderr = Collections.synchronizedList(new ArrayList<>());
        Thread errReader = new Thread(() -> readLines(process, stderr), "electra-convert-verify-stderr");
        errReader.setDaemon(true);
        errReader.start();
        Optional<Outcome> outcome = Optional.empty();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                Optional<Outcome> result = ForkProtocol.result(line);
                if (result.isPresent()) {
                    outcome = result;
                } else {
                    ForkProtocol.relay(line, log);
                }
            }
            int exit = process.waitFor();
            errReader.join();
            List<String> messages = stderr.stream().filter(l -> !l.equals(INCUBATOR_WARNING)).toList();
            if (outcome.isPresent()) {
                messages.forEach(log::warn);
                return outcome.get();
            }
            messages.forEach(log::error);
            throw new ForkFailure("the forked verify JVM exited with code " + exit + " and no result"
                    + (messages.isEmpty() ? "" : ": " + messages.get(0)));
        } catch (IOException e) {
            process.destroyForcibly();
            throw new ForkFailure("reading the forked verify JVM's output: " + Failures.message(e));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ForkFailure("interrupted while the forked verify JVM ran");
        }
    }

    private static void readLines(Process process, List<String> into) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                into.add(line);
            }
        } catch (IOException e) {
            into.add("(reading standard error failed: " + Failures.message(e) + ")");
        }
    }
}
