package io.electraconvert.hf.output;

import io.electraconvert.files.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * Where an output folder really is, and the rule that keeps it apart from the checkpoint it is made from: an output
 * equal to, inside, or containing a checkpoint file's folder is refused, so replacing the output's files can never
 * touch the checkpoint.
 */
final class OutputLocation {
    private OutputLocation() {}

    /**
     * The absolute path the operating system will use for {@code requested}: links and {@code ..} resolved in the
     * part that exists, the names that do not yet exist appended.
     */
    static Path resolve(Path requested) {
        Path absolute = requested.toAbsolutePath().normalize();
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            missing.push(existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (IOException e) {
            throw new OutputFolderException(requested, "cannot resolve " + existing + ": " + IoErrors.reason(e));
        }
        while (!missing.isEmpty()) {
            real = real.resolve(missing.pop());
        }
        return real;
    }

    /** Refuses a {@code target} that is, holds or lies inside the folder of any of the {@code inputs}. */
    static void checkApart(Path requested, Path target, Collection<Path> inputs) {
        if (target.getParent() == null) {
            throw new OutputFolderException(requested, "the output folder cannot be the file system's root");
        }
        for (Path input : inputs) {
            Path file;
            try {
                file = input.toRealPath();
            } catch (IOException e) {
                continue; // an input that is gone cannot be overwritten; reading it reports the problem
            }
            Path folder = file.getParent();
            if (file.startsWith(target)) {
                throw new OutputFolderException(requested, "the output folder holds the checkpoint file " + file
                        + "; choose a folder that does not contain the checkpoint");
            }
            if (folder != null && target.startsWith(folder)) {
                throw new OutputFolderException(requested, "the output folder lies inside the checkpoint's folder " + folder
                        + "; choose a folder outside it");
            }
        }
    }
}
