package io.electraconvert.verify.model;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.error.BadInputException;
import io.electraconvert.verify.kernels.MatMulKernel;
import java.util.Map;

/** {@code ElectraForQuestionAnswering}: {@code qa_outputs(h)} split into start and end logits, {@code [B, T]} each. */
final class QuestionAnsweringHead implements Head {
    private final Linear qaOutputs;

    QuestionAnsweringHead(ElectraConfig config, ElectraWeights weights, MatMulKernel kernel) {
        if (config.numLabels() != 2) {
            throw new BadInputException("config: question answering needs num_labels 2, got " + config.numLabels());
        }
        this.qaOutputs = Linear.head(weights, "qa_outputs", 2, config.hiddenSize(), kernel);
    }

    @Override
    public Map<String, Tensor> apply(float[] hidden, ModelInput input) {
        int rows = input.inputIds().length;
        float[] both = qaOutputs.apply(hidden, rows);
        float[] start = new float[rows];
        float[] end = new float[rows];
        for (int row = 0; row < rows; row++) {
            start[row] = both[2 * row];
            end[row] = both[2 * row + 1];
        }
        return Map.of("start_logits", new Tensor(input.shape(), start), "end_logits", new Tensor(input.shape(), end));
    }
}
