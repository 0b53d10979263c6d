package io.electraconvert.hf.electra;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one config value comes from. Every kind but {@link Kind#RULE} reads the value out of something that records
 * the model that was trained; a rule only says what google-research/electra does by default.
 *
 * @param file   the file read, for hparams and graph sources
 * @param detail what in it gives the value: a variable and its shape, an hparams key or the original's rule applied
 *               to the file's values, a graph node, a task class, an option
 */
public record ConfigSource(Kind kind, Optional<Path> file, String detail) {
    public enum Kind {
        /** The shape of a checkpoint variable. */
        TENSOR_SHAPES,
        /** An hparams file, named with {@code --hparams} or found beside the checkpoint. */
        HPARAMS,
        /** The graph in the checkpoint's {@code .meta} file. */
        META_GRAPH,
        /** The definition of a task in google-research/electra's fine-tuning code. */
        TASK_DEFINITION,
        /** A command-line option (library: a field of the request). */
        OPTION,
        /** A constant of google-research/electra's code that no setting changes. */
        CODE,
        /** google-research/electra's default, not read from anything that describes this model: unverified. */
        RULE;

        /** The name used in JSON: {@code tensor_shapes}, {@code hparams}, {@code meta_graph}, ... */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ConfigSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(detail, "detail");
    }

    public static ConfigSource tensor(String detail) {
        return new ConfigSource(Kind.TENSOR_SHAPES, Optional.empty(), detail);
    }

    public static ConfigSource hparams(Hparams hparams, String detail) {
        return new ConfigSource(Kind.HPARAMS, Optional.of(hparams.file()), detail);
    }

    public static ConfigSource graph(Path metaFile, String detail) {
        return new ConfigSource(Kind.META_GRAPH, Optional.of(metaFile), detail);
    }

    public static ConfigSource task(String detail) {
        return new ConfigSource(Kind.TASK_DEFINITION, Optional.empty(), detail);
    }

    public static ConfigSource option(String detail) {
        return new ConfigSource(Kind.OPTION, Optional.empty(), detail);
    }

    public static ConfigSource code(String detail) {
        return new ConfigSource(Kind.CODE, Optional.empty(), detail);
    }

    public static ConfigSource rule(String detail) {
        return new ConfigSource(Kind.RULE, Optional.empty(), detail);
    }

    /** Whether the value is read from something describing this model (anything but a default rule). */
    public boolean certain() {
        return kind != Kind.RULE;
    }

    /** One phrase for messages and summaries, e.g. {@code the graph in model.ckpt-2200.meta: <node> = [3, 12, 4, 8]}. */
    public String describe() {
        return switch (kind) {
            case TENSOR_SHAPES -> "tensor " + detail;
            case HPARAMS -> file.orElseThrow() + ": " + detail;
            case META_GRAPH -> "the graph in " + file.orElseThrow() + ": " + detail;
            case TASK_DEFINITION -> "google-research/electra's " + detail;
            case OPTION -> detail;
            case CODE -> "google-research/electra's code: " + detail;
            case RULE -> "a rule: " + detail + " (unverified)";
        };
    }
}
