package io.electraconvert.tfreader;

import io.electraconvert.error.BadInputException;
import io.electraconvert.files.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns what a user types into a checkpoint prefix: a prefix ({@code model.ckpt-1000}), its {@code .index} or
 * data file, or a directory. In a directory the {@code checkpoint} state file wins; its paths often come from the
 * training machine ({@code gs://...}), so only their basename is resolved next to the state file.
 */
public final class CheckpointLocator {
    private static final Pattern DATA_SUFFIX = Pattern.compile("\\.data-\\d{5}-of-\\d{5}$");

    private CheckpointLocator() {}

    /** The prefix whose {@code .index} exists, or a {@link BadInputException} saying what is missing. */
    public static Path resolvePrefix(Path given) {
        Path path = given.toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            return fromDirectory(path);
        }
        String name = path.getFileName().toString();
        if (name.endsWith(".index")) {
            path = path.resolveSibling(name.substring(0, name.length() - ".index".length()));
        } else {
            Matcher data = DATA_SUFFIX.matcher(name);
            if (data.find()) {
                path = path.resolveSibling(name.substring(0, data.start()));
            }
        }
        Path index = indexOf(path);
        if (!Files.isRegularFile(index)) {
            if (Files.exists(path)) {
                throw new BadInputException(given, "not a TensorFlow V2 checkpoint: no " + index.getFileName()
                        + " beside it (V1 checkpoints and SavedModel directories are not supported)");
            }
            throw new BadInputException(given, "no such checkpoint: neither a directory nor a prefix with an .index file");
        }
        return path;
    }

    public static Path indexOf(Path prefix) {
        return prefix.resolveSibling(prefix.getFileName() + ".index");
    }

    private static Path fromDirectory(Path directory) {
        Path stateFile = directory.resolve("checkpoint");
        if (Files.exists(stateFile)) {
            String recorded = CheckpointStateFile.modelCheckpointPath(stateFile);
            int end = recorded.length();
            while (end > 0 && isSeparator(recorded.charAt(end - 1))) {
                end--;
            }
            int start = end;
            while (start > 0 && !isSeparator(recorded.charAt(start - 1))) {
                start--;
            }
            String basename = recorded.substring(start, end);
            // only a plain file name is looked up, and only in this directory: "", "/", "." or ".." would name
            // something beside or above it
            if (basename.isEmpty() || basename.equals(".") || basename.equals("..")) {
                throw new BadInputException(stateFile, "model_checkpoint_path \"" + recorded
                        + "\" names no checkpoint file");
            }
            Path prefix = directory.resolve(basename);
            if (!Files.isRegularFile(indexOf(prefix))) {
                throw new BadInputException(stateFile, "names checkpoint \"" + recorded + "\" but "
                        + indexOf(prefix).getFileName() + " is not in " + directory);
            }
            return prefix;
        }
        List<Path> indexes;
        try (Stream<Path> files = Files.list(directory)) {
            indexes = files.filter(p -> p.getFileName().toString().endsWith(".index") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new BadInputException(directory, "cannot list directory: " + IoErrors.reason(e), e);
        }
        if (indexes.size() == 1) {
            String name = indexes.get(0).getFileName().toString();
            return directory.resolve(name.substring(0, name.length() - ".index".length()));
        }
        if (indexes.isEmpty()) {
            throw new BadInputException(directory, "no checkpoint in this directory (no 'checkpoint' file and no .index file)");
        }
        throw new BadInputException(directory, "several checkpoints and no 'checkpoint' file to choose one ("
                + indexes.stream().map(p -> p.getFileName().toString()).toList() + "); pass the prefix instead");
    }

    private static boolean isSeparator(char c) {
        return c == '/' || c == '\\';
    }
}
