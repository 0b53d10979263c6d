package io.electraconvert.hf.schema;

/**
 * A checkpoint variable, named relative to one of the scopes a google-research/electra checkpoint places a network
 * in; the checkpoint's layout says what each scope is for the network being converted.
 */
public record TfVariable(Scope scope, String name) {
    public enum Scope {
        /** {@code electra/embeddings/} (shared with the generator) or {@code generator/embeddings/} (untied). */
        EMBEDDINGS,
        /** The transformer: {@code electra/} or {@code generator/}. */
        TOWER,
        /** The head: {@code discriminator_predictions/}, {@code generator_predictions/}, {@code task_specific/<task>/}. */
        HEAD
    }

    public static TfVariable embeddings(String name) {
        return new TfVariable(Scope.EMBEDDINGS, name);
    }

    public static TfVariable tower(String name) {
        return new TfVariable(Scope.TOWER, name);
    }

    public static TfVariable head(String name) {
        return new TfVariable(Scope.HEAD, name);
    }
}
