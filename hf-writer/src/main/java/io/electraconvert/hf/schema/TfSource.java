package io.electraconvert.hf.schema;

import java.util.List;

/** How an HF tensor's values come from a google-research/electra checkpoint. */
public sealed interface TfSource {
    /** Stored as the HF tensor is (embeddings, biases, LayerNorm): copied. */
    record Copy(TfVariable variable) implements TfSource {}

    /** A TF dense kernel {@code [in, out]}: transposed to PyTorch's {@code [out, in]}. */
    record Transpose(TfVariable variable) implements TfSource {}

    /** Several sources' rows one after another (QA: the start and end layers as one {@code qa_outputs}). */
    record Rows(List<TfSource> parts) implements TfSource {
        public Rows {
            parts = List.copyOf(parts);
        }
    }

    /**
     * HF's classification head is {@code out_proj(gelu(dense(x)))}, the original's a single {@code dense(x)}. Since
     * {@code gelu(z) - gelu(-z) = z}, a dense layer whose rows {@code 2j} and {@code 2j+1} are {@code +w_j} and
     * {@code -w_j} (w_j: column j of the original kernel; all other rows and the bias zero), followed by an
     * {@code out_proj} with {@code +1} at column {@code 2j} and {@code -1} at {@code 2j+1} of row j, computes the
     * original's logits exactly (up to float rounding). This source is that dense weight.
     */
    record GeluPairs(TfVariable kernel) implements TfSource {}

    /** The {@code out_proj} weight of the construction described at {@link GeluPairs}: {@code [labels, hidden]}. */
    record GeluPairProjection() implements TfSource {}

    /** All zeros (the bias of a {@link GeluPairs} layer). */
    record Zeros() implements TfSource {}

    /** The head has no google-research/electra counterpart (multiple choice): nothing converts into it. */
    record None() implements TfSource {}
}
