package io.electraconvert.hf.output;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * Who made a staging folder, and for which output. A later run into the same output uses it to tell a folder left
 * by a killed conversion (its process is gone) from one still in use. The pid and start time are also part of the
 * folder's name, so even a folder whose record was never written (killed at that instant) is recognised; a
 * process is the same one only when both match, since pids are reused.
 */
record StagingOwner(Path target, long pid, long startSeconds) {
    static final String FILE_NAME = "electra-convert-owner.properties";

    static StagingOwner current(Path target) {
        ProcessHandle self = ProcessHandle.current();
        return new StagingOwner(target, self.pid(), startOf(self));
    }

    private static long startOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::getEpochSecond).orElse(0L);
    }

    /** {@code <pid>-<start>}, for folder names. */
    String token() {
        return pid + "-" + Long.toString(startSeconds, 36);
    }

    /** Whether the process named by a {@link #token()} still runs (a malformed token names none). */
    static boolean alive(String token) {
        int dash = token.indexOf('-');
        try {
            return alive(Long.parseLong(token.substring(0, dash)), Long.parseLong(token.substring(dash + 1), 36));
        } catch (RuntimeException e) {
            return false;
        }
    }

    boolean alive() {
        return alive(pid, startSeconds);
    }

    private static boolean alive(long pid, long startSeconds) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(p -> startSeconds == 0 || startOf(p) == 0 || startOf(p) == startSeconds).orElse(false);
    }

    void writeInto(Path folder) throws IOException {
        Properties p = new Properties();
        p.setProperty("target", target.toString());
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("start", Long.toString(startSeconds));
        StringWriter text = new StringWriter();
        p.store(text, "electra-convert working folder, removed when its conversion ends; a later conversion into the "
                + "target removes it if this process is gone");
        Files.writeString(folder.resolve(FILE_NAME), text.toString(), StandardCharsets.UTF_8);
    }

    /** The owner recorded in {@code folder}, if it holds a readable record. */
    static Optional<StagingOwner> readFrom(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 64 << 10) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            return Optional.of(new StagingOwner(Path.of(p.getProperty("target")), Long.parseLong(p.getProperty("pid")),
                    Long.parseLong(p.getProperty("start"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not one of ours
        }
    }
}
