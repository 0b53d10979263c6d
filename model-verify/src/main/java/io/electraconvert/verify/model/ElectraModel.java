package io.electraconvert.verify.model;

import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.error.BadInputException;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.verify.kernels.MatMul;
import io.electraconvert.verify.kernels.MatMulKernel;
import io.electraconvert.verify.weights.WeightSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An ELECTRA model with one head, evaluated in float32 as transformers' {@code modeling_electra} does at inference
 * (dropout off). Weights are copied and packed at load, so the source may be closed afterwards.
 */
public final class ElectraModel {
    private final ElectraConfig config;
    private final HeadKind headType;
    private final Embeddings embeddings;
    private final List<EncoderLayer> layers;
    private final Head head;

    private ElectraModel(ElectraConfig config, HeadKind headType, Embeddings embeddings, List<EncoderLayer> layers,
            Head head) {
        this.config = config;
        this.headType = headType;
        this.embeddings = embeddings;
        this.layers = layers;
        this.head = head;
    }

    /** Loads the head named by the config's {@code architectures} (the bare encoder if it names none). */
    public static ElectraModel load(ElectraConfig config, WeightSource source) {
        return load(config, source, headOf(config));
    }

    public static ElectraModel load(ElectraConfig config, WeightSource source, HeadKind headType) {
        return load(config, source, headType, MatMul.kernelFor(config.hiddenSize()));
    }

    /** Loads with an explicit matmul kernel (tests compare kernels through the whole model). */
    public static ElectraModel load(ElectraConfig config, WeightSource source, HeadKind headType, MatMulKernel kernel) {
        ElectraWeights weights = new ElectraWeights(source, config, headType);
        Embeddings embeddings = new Embeddings(config, weights, kernel);
        List<EncoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(new EncoderLayer(config, weights, i, kernel));
        }
        Head head = head(headType, config, weights, embeddings::wordEmbeddings, kernel);
        return new ElectraModel(config, headType, embeddings, List.copyOf(layers), head);
    }

    /**
     * The head a config names in {@code architectures} (a bare {@code ElectraModel} when it names none), which must
     * be one this forward pass computes.
     */
    public static HeadKind headOf(ElectraConfig config) {
        return config.architecture().map(a -> HeadKind.ofArchitecture(a).orElseThrow(() ->
                new BadInputException("unsupported architecture " + a))).orElse(HeadKind.BODY);
    }

    /** The head's module; the generator's ties its output to the word embeddings {@code words} gives. */
    static Head head(HeadKind kind, ElectraConfig config, ElectraWeights weights, Supplier<float[]> words,
            MatMulKernel kernel) {
        return switch (kind) {
            case BODY -> (hidden, input) -> Map.of();
            case PRETRAINING -> new DiscriminatorHead(config, weights, kernel);
            case MASKED_LM -> new GeneratorHead(config, weights, words.get(), kernel);
            case SEQUENCE_CLASSIFICATION -> new SequenceClassificationHead(config, weights, kernel);
            case TOKEN_CLASSIFICATION -> new TokenClassificationHead(config, weights, kernel);
            case QUESTION_ANSWERING -> new QuestionAnsweringHead(config, weights, kernel);
            case MULTIPLE_CHOICE -> new MultipleChoiceHead(config, weights, kernel);
        };
    }

    public ElectraConfig config() {
        return config;
    }

    public HeadKind headType() {
        return headType;
    }

    public ModelOutput forward(ModelInput input) {
        int sequences = input.sequences();
        int seq = input.sequenceLength();
        int[] hiddenShape = {sequences, seq, config.hiddenSize()};
        List<Tensor> hiddenStates = new ArrayList<>(layers.size() + 1);
        float[] x = embeddings.apply(input);
        hiddenStates.add(new Tensor(hiddenShape, x));
        for (EncoderLayer layer : layers) {
            x = layer.apply(x, sequences, seq, input.attentionMask());
            hiddenStates.add(new Tensor(hiddenShape, x));
        }
        return new ModelOutput(head.apply(x, input), List.copyOf(hiddenStates));
    }
}
