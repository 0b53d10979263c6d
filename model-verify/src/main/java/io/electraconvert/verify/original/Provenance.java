package io.electraconvert.verify.original;

/**
 * Where a config value of the original model came from. Only {@link Kind#RULE} is a guess: a default the original
 * applies unless told otherwise, which a checkpoint cannot confirm.
 *
 * @param detail which file, variable or rule, in words
 */
public record Provenance(Kind kind, String detail) {
    public enum Kind {
        /** A variable's shape. */
        TENSOR_SHAPES,
        /** A constant of google-research/electra's code (e.g. LayerNorm's epsilon). */
        ORIGINAL_CODE,
        /** The checkpoint's own graph, {@code model.ckpt-N.meta}. */
        META_GRAPH,
        /** An hparams file, given or found beside the checkpoint. */
        HPARAMS_FILE,
        /** A default of the original's configuration code: unverified. */
        RULE
    }

    public boolean unverified() {
        return kind == Kind.RULE;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + detail;
    }
}
