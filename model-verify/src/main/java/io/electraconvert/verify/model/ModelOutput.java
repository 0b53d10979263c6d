package io.electraconvert.verify.model;

import io.electraconvert.error.BadInputException;
import java.util.List;
import java.util.Map;

/**
 * What a forward pass returns, named as transformers names it.
 *
 * @param logits {@code logits}, or {@code start_logits} and {@code end_logits} for question answering; empty for
 *     the bare {@code ElectraModel}
 * @param hiddenStates {@code [sequences, seq, hidden]} each; [0] is the embeddings output (after
 *     {@code embeddings_project}), [i] the output of encoder layer i
 */
public record ModelOutput(Map<String, Tensor> logits, List<Tensor> hiddenStates) {

    public Tensor logits(String name) {
        Tensor tensor = logits.get(name);
        if (tensor == null) {
            throw new BadInputException("output: no " + name + " (have " + logits.keySet() + ")");
        }
        return tensor;
    }

    public Tensor lastHiddenState() {
        return hiddenStates.get(hiddenStates.size() - 1);
    }
}
