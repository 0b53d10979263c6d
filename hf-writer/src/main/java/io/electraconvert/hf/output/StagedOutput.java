package io.electraconvert.hf.convert;

import io.electraconvert.hf.HfFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A temporary folder beside the final output, so a conversion that fails leaves nothing behind and one that
 * succeeds appears whole: {@link #commit()} renames it into place (replacing an old output only at that point);
 * {@link #close()} without a commit deletes it.
 */
final class StagedOutput implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private final boolean overwrite;
    /** Removes the staging folder if the JVM exits mid-conversion (Ctrl-C, SIGTERM). */
    private final Thread cleanupOnExit;
    private boolean committed;

    private StagedOutput(Path target, Path staging, boolean overwrite) {
        this.target = target;
        this.staging = staging;
        this.overwrite = overwrite;
        this.cleanupOnExit = new Thread(() -> {
            try {
                deleteTree(staging);
            } catch (IOException ignored) {
                // the JVM is exiting; nothing else can be done
            }
        }, "electra-convert-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    static StagedOutput create(Path target, boolean overwrite) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
            throw new OutputExistsException(target);
        }
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new HfFormatException(target, "output exists and is not a folder; refusing to replace it");
        }
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        Path staging = createSibling(absolute, ".partial-");
        return new StagedOutput(absolute, staging, overwrite);
    }

    /**
     * A new hidden folder beside {@code target}. Unlike {@code Files.createTempDirectory} (always 0700), it gets
     * the user's default permissions, which the finished model folder keeps after the rename.
     */
    private static Path createSibling(Path target, String tag) throws IOException {
        // the name only has to be new (createDirectory is atomic and follows no link); SecureRandom would cost
        // ~18 ms of start-up for nothing
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path candidate = target.resolveSibling("." + target.getFileName() + tag + Long.toUnsignedString(random.nextLong(), 36));
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    Path dir() {
        return staging;
    }

    /** Moves the staged folder into place, replacing an existing output only now; the files were forced to disk by their writers. */
    void commit() throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            if (!overwrite) {
                throw new OutputExistsException(target);
            }
            old = createSibling(target, ".old-");
            Files.delete(old);
            move(target, old);
        }
        try {
            move(staging, target);
        } catch (IOException e) {
            if (old != null) {
                move(old, target); // put the previous output back
            }
            throw e;
        }
        committed = true;
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or will run
        }
        if (!committed) {
            try {
                deleteTree(staging);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove temporary folder " + staging, e);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
