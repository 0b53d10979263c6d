package io.electraconvert.hf.schema;

/**
 * Where one network lives in a google-research/electra checkpoint: the prefix of each {@link TfVariable.Scope},
 * e.g. {@code electra/embeddings/}, {@code generator/} and {@code generator_predictions/} for the generator.
 */
public record TfLayout(String embeddings, String tower, String head) {
    /** The checkpoint's full name of {@code variable}. */
    public String name(TfVariable variable) {
        return switch (variable.scope()) {
            case EMBEDDINGS -> embeddings;
            case TOWER -> tower;
            case HEAD -> head;
        } + variable.name();
    }
}
