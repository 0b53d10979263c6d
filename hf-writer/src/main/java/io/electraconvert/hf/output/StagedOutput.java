package io.electraconvert.hf.output;

import io.electraconvert.files.IoErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A conversion's output, written into a working folder and moved into place only when complete, the way
 * {@code save_pretrained} treats a model folder: a new output folder appears whole (one rename); into an existing
 * one, the previous conversion's files ({@link ModelFiles}) are replaced and every other file is left alone.
 *
 * <p>The working folder ({@code .electra-convert-staging-<target hash>-<pid>-<start>-<random>}) sits in the nearest
 * existing folder above the target, so no missing parent is created before the output is complete, and its name's
 * length does not depend on the target's. Replacing files in an existing folder happens under a commit folder
 * beside it ({@code .electra-convert-commit-<target hash>}, created by renaming the working folder, so two
 * conversions into one folder take turns), which journals the new file names first: a conversion killed while
 * replacing is finished by the next one into the same folder. Working folders whose process is gone are removed by
 * the next conversion into the same target; a JVM that exits (Ctrl-C, SIGTERM) removes its own.
 */
public final class StagedOutput implements AutoCloseable {
    private static final String STAGING_PREFIX = ".electra-convert-staging-";
    private static final String COMMIT_PREFIX = ".electra-convert-commit-";
    private static final String MODEL = "model";
    private static final String REPLACED = "replaced";
    private static final String JOURNAL = "new-files.txt";
    /** How long a commit waits for another conversion's commit into the same folder (renames only: milliseconds). */
    private static final long COMMIT_WAIT_NANOS = 60_000_000_000L;

    private final Path requested;
    private final Path target;
    private final boolean overwrite;
    private final Path staging;
    private final Thread cleanupOnExit;
    private boolean finished;

    private StagedOutput(Path requested, Path target, boolean overwrite, Path staging) {
        this.requested = requested;
        this.target = target;
        this.overwrite = overwrite;
        this.staging = staging;
        this.cleanupOnExit = new Thread(this::removeStaging, "electra-convert-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /**
     * Prepares an output at {@code requested}, which must be apart from every file in {@code inputs} (see
     * {@link OutputLocation}). Without {@code overwrite}, an existing folder may be written into only if it holds
     * none of the files a conversion writes.
     */
    public static StagedOutput create(Path requested, boolean overwrite, Collection<Path> inputs) throws IOException {
        Path target = OutputLocation.resolve(requested);
        OutputLocation.checkApart(requested, target, inputs);
        boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (exists && !Files.isDirectory(target)) {
            throw new OutputFolderException(requested, "the output exists and is not a folder; refusing to replace it");
        }
        removeLeftovers(target);
        if (exists && !overwrite) {
            List<String> owned = list(target).stream().filter(n -> ModelFiles.replacedBy(n, List.of("vocab.txt"))).toList();
            if (!owned.isEmpty()) {
                throw new OutputFolderException(requested, owned);
            }
        }
        Path anchor = target.getParent();
        while (!Files.exists(anchor, LinkOption.NOFOLLOW_LINKS)) {
            anchor = anchor.getParent();
        }
        if (!Files.isDirectory(anchor)) {
            throw new OutputFolderException(requested, anchor + " is not a folder, so no output folder can be made in it");
        }
        StagingOwner owner = StagingOwner.current(target);
        Path staging = createStaging(anchor, STAGING_PREFIX + hash(target) + "-" + owner.token() + "-");
        try {
            owner.writeInto(staging);
            Files.createDirectory(staging.resolve(MODEL));
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
        return new StagedOutput(requested, target, overwrite, staging);
    }

    /** Where the writers put the output's files. */
    public Path dir() {
        return staging.resolve(MODEL);
    }

    /**
     * Moves the output into place; returns the names of the previous output's files it replaced or removed
     * (none when the folder is new). The files were forced to disk by their writers.
     */
    public synchronized List<String> commit() throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) && moveInAsNewFolder()) {
            finished = true;
            deleteTree(staging);
            return List.of();
        }
        List<String> newFiles = list(dir());
        Files.writeString(staging.resolve(JOURNAL), String.join("\n", newFiles) + "\n", StandardCharsets.UTF_8);
        Path commit = target.resolveSibling(COMMIT_PREFIX + hash(target));
        takeCommitTurn(commit);
        if (!overwrite) { // another conversion may have filled the folder since create()
            List<String> owned = list(target).stream().filter(n -> ModelFiles.replacedBy(n, newFiles)).toList();
            if (!owned.isEmpty()) {
                move(commit, staging);
                throw new OutputFolderException(requested, owned);
            }
        }
        List<String> replaced = new ArrayList<>();
        List<String> movedIn = new ArrayList<>();
        try {
            Files.createDirectory(commit.resolve(REPLACED));
            for (String name : list(target)) {
                if (ModelFiles.replacedBy(name, newFiles)) {
                    move(target.resolve(name), commit.resolve(REPLACED).resolve(name));
                    replaced.add(name);
                }
            }
            for (String name : newFiles) {
                move(commit.resolve(MODEL).resolve(name), target.resolve(name));
                movedIn.add(name);
            }
        } catch (IOException | RuntimeException e) {
            try {
                for (String name : movedIn) {
                    move(target.resolve(name), commit.resolve(MODEL).resolve(name));
                }
                for (String name : replaced) {
                    move(commit.resolve(REPLACED).resolve(name), target.resolve(name));
                }
                move(commit, staging);
            } catch (IOException | RuntimeException undo) {
                e.addSuppressed(undo);
                String reason = e instanceof IOException io ? IoErrors.reason(io) : String.valueOf(e.getMessage());
                throw new OutputFolderException(requested, "interrupted while replacing the previous model files (" + reason
                        + "); the next conversion into this folder finishes the replacement from " + commit, e);
            }
            throw e;
        }
        finished = true;
        deleteTree(commit);
        return List.copyOf(replaced);
    }

    /** Renames the working folder to the target; false if a folder appeared there meanwhile. */
    private boolean moveInAsNewFolder() throws IOException {
        List<Path> created = new ArrayList<>();
        for (Path p = target.getParent(); !Files.isDirectory(p); p = p.getParent()) {
            created.add(0, p);
        }
        try {
            for (Path p : created) {
                Files.createDirectory(p);
            }
            move(dir(), target);
            return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            for (int i = created.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(created.get(i)); // only the (still empty) folders made for this output
            }
            throw e;
        }
    }

    /** Renames the working folder to the commit folder, waiting while another live conversion holds it. */
    private void takeCommitTurn(Path commit) throws IOException {
        long start = System.nanoTime();
        while (true) {
            try {
                move(staging, commit);
                return;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                if (!finishAbandonedCommit(commit, target) && System.nanoTime() - start > COMMIT_WAIT_NANOS) {
                    throw new OutputFolderException(requested, "another conversion has been replacing this folder's model "
                            + "files for a minute (" + commit + "); try again when it has finished");
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new OutputFolderException(requested, "interrupted while waiting for another conversion into it");
                }
            }
        }
    }

    /**
     * Removes what killed conversions into {@code target} left: working folders in any folder above it, and a
     * commit folder beside it, whose replacement is finished first (its new files are complete; the previous ones are
     * what it was replacing).
     */
    private static void removeLeftovers(Path target) throws IOException {
        Path commit = target.resolveSibling(COMMIT_PREFIX + hash(target));
        if (Files.isDirectory(commit, LinkOption.NOFOLLOW_LINKS)) {
            finishAbandonedCommit(commit, target);
        }
        String prefix = STAGING_PREFIX + hash(target) + "-";
        for (Path folder = target.getParent(); folder != null; folder = folder.getParent()) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, prefix + "*")) {
                for (Path staging : entries) {
                    String owner = staging.getFileName().toString().substring(prefix.length());
                    owner = owner.substring(0, Math.max(0, owner.lastIndexOf('-')));
                    if (Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS) && !StagingOwner.alive(owner)
                            && StagingOwner.readFrom(staging).map(o -> o.target().equals(target)).orElse(true)) {
                        deleteTree(staging);
                    }
                }
            } catch (IOException e) {
                // a folder above the output that cannot be listed holds nothing of ours we could remove anyway
            }
        }
    }

    /** Finishes and removes {@code commit} if its conversion is gone; whether it did. */
    private static boolean finishAbandonedCommit(Path commit, Path target) throws IOException {
        StagingOwner owner = StagingOwner.readFrom(commit).orElse(null);
        if (owner == null || !owner.target().equals(target)) {
            if (Files.isDirectory(commit, LinkOption.NOFOLLOW_LINKS)) {
                throw new OutputFolderException(target, commit.getFileName() + " beside the output is not a working "
                        + "folder of this output; remove it if no conversion is running");
            }
            return false; // gone meanwhile
        }
        if (owner.alive()) {
            return false;
        }
        List<String> newFiles = Files.readAllLines(commit.resolve(JOURNAL), StandardCharsets.UTF_8).stream()
                .filter(n -> !n.isEmpty()).toList();
        for (String name : list(target)) {
            if (ModelFiles.replacedBy(name, newFiles) && !newFiles.contains(name)) {
                Files.delete(target.resolve(name));
            }
        }
        Path model = commit.resolve(MODEL);
        for (String name : Files.isDirectory(model) ? list(model) : List.<String>of()) {
            Files.move(model.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        deleteTree(commit);
        return true;
    }

    /** Without a commit, removes the working folder; idempotent, and also run by the JVM's exit hook. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or will run
        }
        removeStaging();
    }

    private synchronized void removeStaging() {
        if (finished) {
            return;
        }
        try {
            deleteTree(staging);
        } catch (IOException e) {
            throw new UncheckedIOException(requested + ": cannot remove the working folder " + staging + " ("
                    + IoErrors.reason(e) + "); remove it by hand", e);
        }
        finished = true;
    }

    private static Path createStaging(Path folder, String prefix) throws IOException {
        // createDirectory is atomic and follows no link: the name only has to be new. Unlike createTempDirectory
        // (always 0700) the folder gets the user's default permissions, which the finished output keeps.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createDirectory(folder.resolve(prefix + Long.toUnsignedString(random.nextLong(), 36)));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** A short stable name for a target path: 64-bit FNV-1a of its text, in hex. */
    static String hash(Path target) {
        long h = 0xcbf29ce484222325L;
        for (byte b : target.toString().getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return String.format(Locale.ROOT, "%016x", h);
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
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
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
