package io.electraconvert.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code convert} without {@code --vocab}: Google's released ELECTRA checkpoints ship their {@code vocab.txt} in the
 * checkpoint's folder, so that one is used; without it the output has no tokenizer, which is said.
 */
final class VocabularyBeside {
    private VocabularyBeside() {}

    /** {@code vocab.txt} in the folder of {@code checkpoint} (a folder, a prefix or an index file), if there is one. */
    static Optional<Path> checkpoint(Path checkpoint) {
        Path folder = Files.isDirectory(checkpoint) ? checkpoint : Optional.ofNullable(checkpoint.getParent()).orElse(Path.of(""));
        Path vocab = folder.resolve("vocab.txt");
        return Files.isRegularFile(vocab) ? Optional.of(vocab) : Optional.empty();
    }

    /** The line {@code convert} prints after the summary when it looked for the vocabulary itself. */
    static String note(Optional<Path> found) {
        return found.map(v -> "vocab: " + v + " (found beside the checkpoint; --vocab FILE to use another)")
                .orElse("warning: no --vocab and no vocab.txt beside the checkpoint: the output has no tokenizer files, "
                        + "so AutoTokenizer.from_pretrained cannot load it");
    }
}
