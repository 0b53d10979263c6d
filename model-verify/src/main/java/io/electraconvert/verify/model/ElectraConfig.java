package io.electraconvert.verify.model;

import io.electraconvert.error.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The sizes and switches of an HF {@code ElectraConfig} that the forward pass needs; absent fields take
 * transformers' defaults.
 *
 * @param architecture the first entry of {@code architectures}, e.g. {@code ElectraForPreTraining}, if any
 * @param summaryActivation {@code summary_activation} of the multiple-choice head
 */
public record ElectraConfig(
        Optional<String> architecture,
        int vocabSize,
        int embeddingSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        String hiddenAct,
        int maxPositionEmbeddings,
        int typeVocabSize,
        float layerNormEps,
        int numLabels,
        String summaryActivation) {

    public ElectraConfig {
        if (hiddenSize % numAttentionHeads != 0) {
            throw new BadInputException("config: hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
                    + numAttentionHeads);
        }
    }

    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    /**
     * Reads {@code config.json}: the sizes through hf-writer's {@link io.electraconvert.hf.config.ElectraConfig}
     * (one set of defaults and type checks, one-line errors), plus what only the forward pass needs.
     */
    public static ElectraConfig fromJson(Path configJson) {
        io.electraconvert.hf.config.ElectraConfig sizes = io.electraconvert.hf.config.ElectraConfig.read(configJson);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(configJson.toFile());
        } catch (IOException e) {
            throw new BadInputException(configJson + ": cannot read config (" + e.getMessage() + ")", e);
        }
        requireSupported(configJson, root, "summary_type", "first");
        requireSupported(configJson, root, "position_embedding_type", "absolute");
        if (!root.path("summary_use_proj").asBoolean(true)) {
            throw new BadInputException(configJson + ": summary_use_proj=false is not supported");
        }
        return of(sizes, numLabels(root), root.path("summary_activation").asText("gelu"));
    }

    /** hf-writer's config (sizes) plus the head settings it does not carry. */
    public static ElectraConfig of(io.electraconvert.hf.config.ElectraConfig sizes, int numLabels, String summaryActivation) {
        return new ElectraConfig(sizes.architectures().stream().findFirst(), sizes.vocabSize(), sizes.embeddingSize(),
                sizes.hiddenSize(), sizes.numHiddenLayers(), sizes.numAttentionHeads(), sizes.intermediateSize(),
                sizes.hiddenAct(), sizes.maxPositionEmbeddings(), sizes.typeVocabSize(), (float) sizes.layerNormEps(),
                numLabels, summaryActivation);
    }

    /** As transformers' PretrainedConfig: the size of {@code id2label} wins, then {@code num_labels}, else 2. */
    private static int numLabels(JsonNode root) {
        JsonNode id2label = root.path("id2label");
        if (id2label.isObject() && id2label.size() > 0) {
            return id2label.size();
        }
        return root.path("num_labels").asInt(2);
    }

    private static void requireSupported(Path file, JsonNode root, String field, String only) {
        JsonNode value = root.get(field);
        if (value != null && !value.isNull() && !only.equals(value.asText())) {
            throw new BadInputException(file + ": " + field + "=\"" + value.asText() + "\" is not supported (only \""
                    + only + "\")");
        }
    }
}
