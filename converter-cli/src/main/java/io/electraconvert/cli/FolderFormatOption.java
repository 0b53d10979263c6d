package io.electraconvert.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --format}: which weights of a model folder a command reads, one of the registry's formats (an unknown
 * name is a usage error). A mixin, so that every command reading a folder offers the same option and help.
 */
final class FolderFormatOption {
    @Option(names = "--format", paramLabel = "FORMAT", converter = OptionValues.FormatName.class,
            completionCandidates = OptionValues.FormatNames.class,
            description = "Which weights of DIR to read: ${COMPLETION-CANDIDATES} (default: the ones transformers "
                    + "would load first).")
    String format;

    Optional<String> get() {
        return Optional.ofNullable(format);
    }
}
