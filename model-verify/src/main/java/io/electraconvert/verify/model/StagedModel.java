package io.electraconvert.verify.model;

import java.util.List;
import java.util.Map;

/**
 * A forward pass taken one stage at a time over a batch of inputs: the embeddings, each encoder layer, the head.
 * A stage's weights are read when it runs and let go after, so comparing two models step by step holds about one
 * stage of each at a time, whatever the depth. Hidden states are rows {@code [sequences·seq, hidden]} per input.
 */
public interface StagedModel {
    int numLayers();

    /**
     * The embedding stage with its tables read, to apply to any number of inputs one at a time: its output is
     * {@code hidden_states[0]} (after {@code embeddings_project}).
     */
    EmbeddingStage embeddings();

    /** {@code hidden_states[0]} of each input. */
    default List<float[]> embeddings(List<ModelInput> inputs) {
        EmbeddingStage stage = embeddings();
        return inputs.stream().map(stage::apply).toList();
    }

    /** A model's embedding stage, tables in hand. */
    @FunctionalInterface
    interface EmbeddingStage {
        float[] apply(ModelInput input);
    }

    /** Encoder layer {@code index} applied to each input's hidden state. */
    List<float[]> layer(int index, List<float[]> hidden, List<ModelInput> inputs);

    /** The head's outputs for each input, by transformers' output names ({@code logits}, {@code start_logits}, ...). */
    List<Map<String, Tensor>> head(List<float[]> hidden, List<ModelInput> inputs);
}
