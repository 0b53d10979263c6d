package io.electraconvert.hf.config;

import io.electraconvert.hf.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.HfFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of transformers' {@code ElectraConfig} that shapes the network. {@link #toJson()} writes the complete
 * {@code config.json} transformers itself saves (keys sorted, defaults for dropout and summary fields), so every
 * ELECTRA class, PyTorch or TensorFlow, loads it.
 */
public record ElectraConfig(List<String> architectures, int vocabSize, int embeddingSize, int hiddenSize,
                            int numHiddenLayers, int numAttentionHeads, int intermediateSize, String hiddenAct,
                            int maxPositionEmbeddings, int typeVocabSize, double layerNormEps, String dtype) {
    public ElectraConfig {
        architectures = List.copyOf(architectures);
    }

    public ElectraConfig withDtype(String newDtype) {
        return new ElectraConfig(architectures, vocabSize, embeddingSize, hiddenSize, numHiddenLayers, numAttentionHeads,
                intermediateSize, hiddenAct, maxPositionEmbeddings, typeVocabSize, layerNormEps, newDtype);
    }

    public ElectraConfig withNumAttentionHeads(int heads) {
        return new ElectraConfig(architectures, vocabSize, embeddingSize, hiddenSize, numHiddenLayers, heads,
                intermediateSize, hiddenAct, maxPositionEmbeddings, typeVocabSize, layerNormEps, dtype);
    }

    public boolean hasEmbeddingsProject() {
        return embeddingSize != hiddenSize;
    }

    public String toJson() {
        ObjectNode n = JsonMappers.PRETTY.createObjectNode();
        n.putPOJO("architectures", architectures);
        n.put("attention_probs_dropout_prob", 0.1);
        n.putNull("classifier_dropout");
        n.put("dtype", dtype);
        n.put("embedding_size", embeddingSize);
        n.put("hidden_act", hiddenAct);
        n.put("hidden_dropout_prob", 0.1);
        n.put("hidden_size", hiddenSize);
        n.put("initializer_range", 0.02);
        n.put("intermediate_size", intermediateSize);
        n.put("layer_norm_eps", layerNormEps);
        n.put("max_position_embeddings", maxPositionEmbeddings);
        n.put("model_type", "electra");
        n.put("num_attention_heads", numAttentionHeads);
        n.put("num_hidden_layers", numHiddenLayers);
        n.put("pad_token_id", 0);
        n.put("position_embedding_type", "absolute");
        n.put("summary_activation", "gelu");
        n.put("summary_last_dropout", 0.1);
        n.put("summary_type", "first");
        n.put("summary_use_proj", true);
        n.put("tie_word_embeddings", true);
        n.put("torch_dtype", dtype); // transformers 4.x reads this name; 5.x reads "dtype"
        n.put("type_vocab_size", typeVocabSize);
        n.put("use_cache", true);
        n.put("vocab_size", vocabSize);
        try {
            return JsonMappers.PRETTY.writeValueAsString(n) + "\n"; // keys above are in sorted order, as save_pretrained writes them
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson());
    }

    /** Reads a transformers {@code config.json}; fields it lacks take transformers' ElectraConfig defaults. */
    public static ElectraConfig read(Path file) {
        JsonNode n;
        try {
            n = JsonMappers.PRETTY.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new HfFormatException(file, "file not found");
        } catch (IOException e) {
            throw new HfFormatException(file, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (n == null || !n.isObject()) {
            throw new HfFormatException(file, "not a JSON object");
        }
        if (n.has("model_type") && !"electra".equals(n.get("model_type").asText())) {
            throw new HfFormatException(file, "model_type is '" + n.get("model_type").asText() + "', not 'electra'");
        }
        List<String> architectures = new ArrayList<>();
        n.path("architectures").forEach(a -> architectures.add(a.asText()));
        String dtype = n.hasNonNull("dtype") ? n.get("dtype").asText() : n.path("torch_dtype").asText("float32");
        return new ElectraConfig(architectures,
                positiveInt(file, n, "vocab_size", 30522), positiveInt(file, n, "embedding_size", 128),
                positiveInt(file, n, "hidden_size", 256), positiveInt(file, n, "num_hidden_layers", 12),
                positiveInt(file, n, "num_attention_heads", 4), positiveInt(file, n, "intermediate_size", 1024),
                n.path("hidden_act").asText("gelu"), positiveInt(file, n, "max_position_embeddings", 512),
                positiveInt(file, n, "type_vocab_size", 2), n.path("layer_norm_eps").asDouble(1e-12), dtype);
    }

    private static int positiveInt(Path file, JsonNode n, String key, int defaultValue) {
        if (!n.has(key)) {
            return defaultValue;
        }
        JsonNode v = n.get(key);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
            throw new HfFormatException(file, key + " must be a positive integer, got " + v);
        }
        return v.asInt();
    }
}
