package io.electraconvert.hf.config;

import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import io.electraconvert.hf.json.JsonMappers;
import io.electraconvert.hf.json.JsonStreaming;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part of transformers' {@code ElectraConfig} that shapes the network. {@link #toJson()} writes the complete
 * {@code config.json} transformers itself saves (keys sorted, defaults for dropout and summary fields), so every
 * ELECTRA class, PyTorch or TensorFlow, loads it.
 */
public record ElectraConfig(List<String> architectures, int vocabSize, int embeddingSize, int hiddenSize,
                            int numHiddenLayers, int numAttentionHeads, int intermediateSize, String hiddenAct,
                            int maxPositionEmbeddings, int typeVocabSize, double layerNormEps, String dtype) {
    /** transformers' {@code ACT2FN} names (transformers 5.18 {@code activations.py}). */
    public static final Set<String> TRANSFORMERS_ACTIVATIONS = Set.of("gelu", "gelu_10", "gelu_fast", "gelu_new",
            "gelu_python", "gelu_pytorch_tanh", "gelu_python_tanh", "gelu_accurate", "hardswish", "laplace", "leaky_relu",
            "linear", "mish", "quick_gelu", "relu", "relu2", "relu6", "sigmoid", "silu", "sqrtsoftplus", "swish", "tanh",
            "prelu", "xielu");

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
        // streamed with the pretty printer databind's INDENT_OUTPUT uses, so the text is the same without databind
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JsonStreaming.FACTORY.createGenerator(text)) {
            json.setPrettyPrinter(new DefaultPrettyPrinter());
            json.writeStartObject(); // keys in sorted order, as save_pretrained writes them
            json.writeArrayFieldStart("architectures");
            for (String a : architectures) {
                json.writeString(a);
            }
            json.writeEndArray();
            json.writeNumberField("attention_probs_dropout_prob", 0.1);
            json.writeNullField("classifier_dropout");
            json.writeStringField("dtype", dtype);
            json.writeNumberField("embedding_size", embeddingSize);
            json.writeStringField("hidden_act", hiddenAct);
            json.writeNumberField("hidden_dropout_prob", 0.1);
            json.writeNumberField("hidden_size", hiddenSize);
            json.writeNumberField("initializer_range", 0.02);
            json.writeNumberField("intermediate_size", intermediateSize);
            json.writeNumberField("layer_norm_eps", layerNormEps);
            json.writeNumberField("max_position_embeddings", maxPositionEmbeddings);
            json.writeStringField("model_type", "electra");
            json.writeNumberField("num_attention_heads", numAttentionHeads);
            json.writeNumberField("num_hidden_layers", numHiddenLayers);
            json.writeNumberField("pad_token_id", 0);
            json.writeStringField("position_embedding_type", "absolute");
            json.writeStringField("summary_activation", "gelu");
            json.writeNumberField("summary_last_dropout", 0.1);
            json.writeStringField("summary_type", "first");
            json.writeBooleanField("summary_use_proj", true);
            json.writeBooleanField("tie_word_embeddings", true);
            json.writeStringField("torch_dtype", dtype); // transformers 4.x reads this name; 5.x reads "dtype"
            json.writeNumberField("type_vocab_size", typeVocabSize);
            json.writeBooleanField("use_cache", true);
            json.writeNumberField("vocab_size", vocabSize);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return text + "\n";
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson());
    }

    /**
     * Reads a transformers {@code config.json}; fields it lacks take transformers' ElectraConfig defaults. Values are
     * checked as transformers would use them: sizes positive integers, heads dividing the hidden size, an activation
     * that {@code ACT2FN} knows.
     */
    public static ElectraConfig read(Path file) {
        JsonNode n;
        try {
            n = JsonMappers.PRETTY.readTree(InputFiles.readUtf8(file, "config file", InputFiles.CONFIG_BYTES));
        } catch (IOException e) {
            throw new BadInputException(file, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (n == null || !n.isObject()) {
            throw new BadInputException(file, "not a JSON object");
        }
        if (n.has("model_type") && !"electra".equals(n.get("model_type").asText())) {
            throw new BadInputException(file, "model_type is '" + n.get("model_type").asText() + "', not 'electra'");
        }
        List<String> architectures = new ArrayList<>();
        JsonNode archs = n.path("architectures");
        if (!archs.isMissingNode() && !archs.isNull()) {
            if (!archs.isArray()) {
                throw new BadInputException(file, "architectures must be a list of class names, got " + archs);
            }
            for (JsonNode a : archs) {
                if (!a.isTextual()) {
                    throw new BadInputException(file, "architectures must be a list of class names, got " + archs);
                }
                architectures.add(a.asText());
            }
        }
        String dtype = n.hasNonNull("dtype") ? n.get("dtype").asText() : n.path("torch_dtype").asText("float32");
        String act = n.path("hidden_act").asText("gelu");
        if (!n.path("hidden_act").isMissingNode() && !n.get("hidden_act").isTextual() || !TRANSFORMERS_ACTIVATIONS.contains(act)) {
            throw new BadInputException(file, "hidden_act " + n.get("hidden_act") + " is not an activation transformers knows");
        }
        JsonNode eps = n.path("layer_norm_eps");
        if (!eps.isMissingNode() && !(eps.isNumber() && eps.asDouble() > 0 && Double.isFinite(eps.asDouble()))) {
            throw new BadInputException(file, "layer_norm_eps must be a positive number, got " + eps);
        }
        ElectraConfig config = new ElectraConfig(architectures,
                positiveInt(file, n, "vocab_size", 30522), positiveInt(file, n, "embedding_size", 128),
                positiveInt(file, n, "hidden_size", 256), positiveInt(file, n, "num_hidden_layers", 12),
                positiveInt(file, n, "num_attention_heads", 4), positiveInt(file, n, "intermediate_size", 1024),
                act, positiveInt(file, n, "max_position_embeddings", 512),
                positiveInt(file, n, "type_vocab_size", 2), eps.asDouble(1e-12), dtype);
        if (config.hiddenSize() % config.numAttentionHeads() != 0) {
            throw new BadInputException(file, "hidden_size " + config.hiddenSize() + " is not a multiple of num_attention_heads "
                    + config.numAttentionHeads());
        }
        return config;
    }

    private static int positiveInt(Path file, JsonNode n, String key, int defaultValue) {
        if (!n.has(key)) {
            return defaultValue;
        }
        JsonNode v = n.get(key);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
            throw new BadInputException(file, key + " must be a positive integer, got " + v);
        }
        return v.asInt();
    }
}
