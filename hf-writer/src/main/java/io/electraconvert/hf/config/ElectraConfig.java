package io.electraconvert.hf.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * transformers' {@code ElectraConfig}: what shapes the network and what its heads need. Read from and written to
 * {@code config.json} by {@link ConfigJson}; {@link #defaults()} holds transformers' defaults.
 *
 * @param labels  the classes of a classification or tagging head, in id order ({@code id2label}); transformers'
 *                default is two, {@code LABEL_0} and {@code LABEL_1}
 * @param problemType {@code regression}, {@code single_label_classification}, ... or null (transformers infers it)
 * @param summary the multiple-choice head's sequence summary settings
 * @param positionEmbeddingType {@code absolute}, or one of the relative kinds transformers also knows
 */
public record ElectraConfig(List<String> architectures, int vocabSize, int embeddingSize, int hiddenSize,
                            int numHiddenLayers, int numAttentionHeads, int intermediateSize, String hiddenAct,
                            int maxPositionEmbeddings, int typeVocabSize, double layerNormEps, String dtype,
                            List<String> labels, String problemType, Summary summary, String positionEmbeddingType) {
    /** transformers' {@code ACT2FN} names (transformers 5.18 {@code activations.py}). */
    public static final Set<String> TRANSFORMERS_ACTIVATIONS = Set.of("gelu", "gelu_10", "gelu_fast", "gelu_new",
            "gelu_python", "gelu_pytorch_tanh", "gelu_python_tanh", "gelu_accurate", "hardswish", "laplace", "leaky_relu",
            "linear", "mish", "quick_gelu", "relu", "relu2", "relu6", "sigmoid", "silu", "sqrtsoftplus", "swish", "tanh",
            "prelu", "xielu");
    public static final List<String> DEFAULT_LABELS = List.of("LABEL_0", "LABEL_1");

    /** {@code ElectraSequenceSummary}'s settings ({@code summary_type}, {@code summary_use_proj}, {@code summary_activation}). */
    public record Summary(String type, boolean useProjection, String activation) {
        public static final Summary DEFAULT = new Summary("first", true, "gelu");
    }

    public ElectraConfig {
        architectures = List.copyOf(architectures);
        labels = List.copyOf(labels);
    }

    /** transformers' defaults ({@code ElectraConfig()}: the ELECTRA-small discriminator's sizes, float32). */
    public static ElectraConfig defaults() {
        return new ElectraConfig(List.of(), 30522, 128, 256, 12, 4, 1024, "gelu", 512, 2, 1e-12, "float32",
                DEFAULT_LABELS, null, Summary.DEFAULT, "absolute");
    }

    /** The sizes of a network, everything else at transformers' defaults. */
    public static ElectraConfig ofSizes(List<String> architectures, int vocabSize, int embeddingSize, int hiddenSize,
            int numHiddenLayers, int numAttentionHeads, int intermediateSize, String hiddenAct, int maxPositionEmbeddings,
            int typeVocabSize) {
        ElectraConfig d = defaults();
        return new ElectraConfig(architectures, vocabSize, embeddingSize, hiddenSize, numHiddenLayers, numAttentionHeads,
                intermediateSize, hiddenAct, maxPositionEmbeddings, typeVocabSize, d.layerNormEps, d.dtype, d.labels,
                d.problemType, d.summary, d.positionEmbeddingType);
    }

    public ElectraConfig withArchitecture(String architecture) {
        return new ElectraConfig(List.of(architecture), vocabSize, embeddingSize, hiddenSize, numHiddenLayers,
                numAttentionHeads, intermediateSize, hiddenAct, maxPositionEmbeddings, typeVocabSize, layerNormEps, dtype,
                labels, problemType, summary, positionEmbeddingType);
    }

    public ElectraConfig withDtype(String newDtype) {
        return new ElectraConfig(architectures, vocabSize, embeddingSize, hiddenSize, numHiddenLayers, numAttentionHeads,
                intermediateSize, hiddenAct, maxPositionEmbeddings, typeVocabSize, layerNormEps, newDtype, labels,
                problemType, summary, positionEmbeddingType);
    }

    public ElectraConfig withHeadsAndActivation(int heads, String act) {
        return new ElectraConfig(architectures, vocabSize, embeddingSize, hiddenSize, numHiddenLayers, heads,
                intermediateSize, act, maxPositionEmbeddings, typeVocabSize, layerNormEps, dtype, labels, problemType,
                summary, positionEmbeddingType);
    }

    public ElectraConfig withLabels(List<String> newLabels, String newProblemType) {
        return new ElectraConfig(architectures, vocabSize, embeddingSize, hiddenSize, numHiddenLayers, numAttentionHeads,
                intermediateSize, hiddenAct, maxPositionEmbeddings, typeVocabSize, layerNormEps, dtype, newLabels,
                newProblemType, summary, positionEmbeddingType);
    }

    /** {@code LABEL_0 .. LABEL_<n-1>}, transformers' names for unnamed classes. */
    public static List<String> unnamedLabels(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("LABEL_" + i);
        }
        return names;
    }

    public int numLabels() {
        return labels.size();
    }

    public boolean hasEmbeddingsProject() {
        return embeddingSize != hiddenSize;
    }

    /** The first of {@code architectures}, or empty for a config that names none (a bare {@code ElectraModel}). */
    public java.util.Optional<String> architecture() {
        return architectures.stream().findFirst();
    }

    public String toJson() {
        return ConfigJson.write(this);
    }

    public static ElectraConfig read(Path file) {
        return ConfigJson.read(file);
    }
}
