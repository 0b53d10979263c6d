package io.electraconvert.verify.model;

import io.electraconvert.error.BadInputException;
import io.electraconvert.error.UnsupportedInputException;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.folder.HfModelFolder;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.verify.kernels.Activation;
import io.electraconvert.verify.weights.HfFolderWeightSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A HuggingFace ELECTRA folder as the forward pass takes it: its {@code config.json} read and checked for what this
 * forward pass computes (absolute positions, the first-token summary with its projection, an activation it
 * implements), the head its {@code architectures} name, and its weights on demand.
 */
public record ModelFolder(Path dir, ElectraConfig config, HeadKind head) {
    public static ModelFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir, "no such folder");
        }
        Path configFile = dir.resolve("config.json");
        ElectraConfig config = HfModelFolder.readConfig(dir).orElseThrow(() ->
                new BadInputException(configFile, "not found (not a HuggingFace model folder?)"));
        String architecture = config.architecture().orElse(HeadKind.BODY.architecture());
        HeadKind head = HeadKind.ofArchitecture(architecture).orElseThrow(() ->
                new UnsupportedInputException(configFile, "architecture " + architecture + " is not an ELECTRA class this "
                        + "forward pass computes"));
        requireSupported(configFile, "position_embedding_type", config.positionEmbeddingType(), "absolute");
        if (head == HeadKind.MULTIPLE_CHOICE) {
            requireSupported(configFile, "summary_type", config.summary().type(), "first");
            if (!config.summary().useProjection()) {
                throw new UnsupportedInputException(configFile, "summary_use_proj=false is not supported");
            }
            activation(configFile, "summary_activation", config.summary().activation());
        }
        activation(configFile, "hidden_act", config.hiddenAct());
        return new ModelFolder(dir, config, head);
    }

    /** {@code vocab.txt}, if the folder has one. */
    public Optional<Path> vocab() {
        Path vocab = dir.resolve("vocab.txt");
        return Files.exists(vocab) ? Optional.of(vocab) : Optional.empty();
    }

    /** The whole model, with the weights transformers would load ({@code format} empty) or those of one format. */
    public ElectraModel load(Optional<String> format) {
        try (HfFolderWeightSource weights = HfFolderWeightSource.open(dir, format)) {
            return ElectraModel.load(config, weights, head);
        }
    }

    private static void requireSupported(Path file, String field, String value, String only) {
        if (!only.equals(value)) {
            throw new UnsupportedInputException(file, field + "=\"" + value + "\" is not supported (only \"" + only + "\")");
        }
    }

    private static void activation(Path file, String field, String name) {
        try {
            Activation.forName(name);
        } catch (BadInputException e) {
            throw new UnsupportedInputException(file, field + " \"" + name + "\" is not one this forward pass computes");
        }
    }
}
