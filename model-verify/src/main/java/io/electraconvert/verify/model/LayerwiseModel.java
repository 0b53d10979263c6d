package io.electraconvert.verify.model;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.verify.kernels.MatMulKernel;
import io.electraconvert.verify.weights.WeightSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * transformers' forward pass ({@link ElectraModel}'s stages) over a weight source, one stage at a time: the source is
 * checked against the schema at once, and each stage's tensors are read only when it runs.
 */
public final class LayerwiseModel implements StagedModel {
    private final ElectraConfig config;
    private final ElectraWeights weights;
    private final HeadKind head;
    private final MatMulKernel kernel;

    public LayerwiseModel(ElectraConfig config, WeightSource source, HeadKind head, MatMulKernel kernel) {
        this.config = config;
        this.weights = new ElectraWeights(source, config, head);
        this.head = head;
        this.kernel = kernel;
    }

    @Override
    public int numLayers() {
        return config.numHiddenLayers();
    }

    @Override
    public EmbeddingStage embeddings() {
        return new Embeddings(config, weights, kernel)::apply;
    }

    @Override
    public List<float[]> layer(int index, List<float[]> hidden, List<ModelInput> inputs) {
        EncoderLayer layer = new EncoderLayer(config, weights, index, kernel);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            ModelInput input = inputs.get(i);
            out.add(layer.apply(hidden.get(i), input.sequences(), input.sequenceLength(), input.attentionMask()));
        }
        return out;
    }

    @Override
    public List<Map<String, Tensor>> head(List<float[]> hidden, List<ModelInput> inputs) {
        Head h = ElectraModel.head(head, config, weights, () -> weights.body(Embeddings.WORD_EMBEDDINGS), kernel);
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            out.add(h.apply(hidden.get(i), inputs.get(i)));
        }
        return out;
    }
}
