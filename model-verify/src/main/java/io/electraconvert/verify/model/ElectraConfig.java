package io.electraconvert.verify.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.verify.ModelException;
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
            throw new ModelException("config: hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
                    + numAttentionHeads);
        }
    }

    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    public static ElectraConfig fromJson(Path configJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(configJson.toFile());
        } catch (IOException e) {
            throw new ModelException(configJson + ": cannot read config (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelException(configJson + ": not a JSON object");
        }
        requireSupported(configJson, root, "summary_type", "first");
        requireSupported(configJson, root, "position_embedding_type", "absolute");
        if (!root.path("summary_use_proj").asBoolean(true)) {
            throw new ModelException(configJson + ": summary_use_proj=false is not supported");
        }
        JsonNode architectures = root.path("architectures");
        return new ElectraConfig(
                architectures.isArray() && architectures.size() > 0
                        ? Optional.of(architectures.get(0).asText())
                        : Optional.empty(),
                root.path("vocab_size").asInt(30522),
                root.path("embedding_size").asInt(128),
                root.path("hidden_size").asInt(256),
                root.path("num_hidden_layers").asInt(12),
                root.path("num_attention_heads").asInt(4),
                root.path("intermediate_size").asInt(1024),
                root.path("hidden_act").asText("gelu"),
                root.path("max_position_embeddings").asInt(512),
                root.path("type_vocab_size").asInt(2),
                (float) root.path("layer_norm_eps").asDouble(1e-12),
                numLabels(root),
                root.path("summary_activation").asText("gelu"));
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
            throw new ModelException(file + ": " + field + "=\"" + value.asText() + "\" is not supported (only \""
                    + only + "\")");
        }
    }
}
