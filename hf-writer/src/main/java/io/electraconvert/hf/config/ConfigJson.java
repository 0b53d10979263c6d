package io.electraconvert.hf.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import io.electraconvert.hf.json.JsonStreaming;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code config.json} as transformers reads and writes it. Writing gives the complete file transformers itself saves
 * (keys sorted, defaults for dropout and summary fields), so every ELECTRA class, PyTorch or TensorFlow, loads it;
 * labels appear only when they are not transformers' default two. Reading checks values the way transformers uses
 * them: sizes positive integers, heads dividing the hidden size, an activation {@code ACT2FN} knows.
 */
final class ConfigJson {
    private ConfigJson() {}

    static String write(ElectraConfig c) {
        // streamed with the pretty printer databind's INDENT_OUTPUT uses, so the text is the same without databind
        StringWriter text = new StringWriter();
        boolean labels = !c.labels().equals(ElectraConfig.DEFAULT_LABELS);
        try (JsonGenerator json = JsonStreaming.FACTORY.createGenerator(text)) {
            json.setPrettyPrinter(new DefaultPrettyPrinter());
            json.writeStartObject(); // keys in sorted order, as save_pretrained writes them
            json.writeArrayFieldStart("architectures");
            for (String a : c.architectures()) {
                json.writeString(a);
            }
            json.writeEndArray();
            json.writeNumberField("attention_probs_dropout_prob", 0.1);
            json.writeNullField("classifier_dropout");
            json.writeStringField("dtype", c.dtype());
            json.writeNumberField("embedding_size", c.embeddingSize());
            json.writeStringField("hidden_act", c.hiddenAct());
            json.writeNumberField("hidden_dropout_prob", 0.1);
            json.writeNumberField("hidden_size", c.hiddenSize());
            if (labels) {
                json.writeObjectFieldStart("id2label");
                for (int i = 0; i < c.numLabels(); i++) {
                    json.writeStringField(Integer.toString(i), c.labels().get(i));
                }
                json.writeEndObject();
            }
            json.writeNumberField("initializer_range", 0.02);
            json.writeNumberField("intermediate_size", c.intermediateSize());
            if (labels) {
                json.writeObjectFieldStart("label2id");
                Map<String, Integer> sorted = new TreeMap<>();
                for (int i = 0; i < c.numLabels(); i++) {
                    sorted.put(c.labels().get(i), i);
                }
                for (Map.Entry<String, Integer> e : sorted.entrySet()) {
                    json.writeNumberField(e.getKey(), e.getValue());
                }
                json.writeEndObject();
            }
            json.writeNumberField("layer_norm_eps", c.layerNormEps());
            json.writeNumberField("max_position_embeddings", c.maxPositionEmbeddings());
            json.writeStringField("model_type", "electra");
            json.writeNumberField("num_attention_heads", c.numAttentionHeads());
            json.writeNumberField("num_hidden_layers", c.numHiddenLayers());
            json.writeNumberField("pad_token_id", 0);
            json.writeStringField("position_embedding_type", c.positionEmbeddingType());
            if (c.problemType() != null) {
                json.writeStringField("problem_type", c.problemType());
            }
            json.writeStringField("summary_activation", c.summary().activation());
            json.writeNumberField("summary_last_dropout", 0.1);
            json.writeStringField("summary_type", c.summary().type());
            json.writeBooleanField("summary_use_proj", c.summary().useProjection());
            json.writeBooleanField("tie_word_embeddings", true);
            json.writeStringField("torch_dtype", c.dtype()); // transformers 4.x reads this name; 5.x reads "dtype"
            json.writeNumberField("type_vocab_size", c.typeVocabSize());
            json.writeBooleanField("use_cache", true);
            json.writeNumberField("vocab_size", c.vocabSize());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return text + "\n";
    }

    static ElectraConfig read(Path file) {
        JsonNode n;
        try {
            n = JsonStreaming.readTree(InputFiles.readUtf8(file, "config file", InputFiles.CONFIG_BYTES));
        } catch (IOException e) {
            throw new BadInputException(file, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (n == null || !n.isObject()) {
            throw new BadInputException(file, "not a JSON object");
        }
        if (n.has("model_type") && !"electra".equals(n.get("model_type").asText())) {
            throw new BadInputException(file, "model_type is '" + n.get("model_type").asText() + "', not 'electra'");
        }
        ElectraConfig d = ElectraConfig.defaults();
        String act = text(file, n, "hidden_act", d.hiddenAct());
        if (!ElectraConfig.TRANSFORMERS_ACTIVATIONS.contains(act)) {
            throw new BadInputException(file, "hidden_act " + n.get("hidden_act") + " is not an activation transformers knows");
        }
        JsonNode eps = n.path("layer_norm_eps");
        if (!eps.isMissingNode() && !(eps.isNumber() && eps.asDouble() > 0 && Double.isFinite(eps.asDouble()))) {
            throw new BadInputException(file, "layer_norm_eps must be a positive number, got " + eps);
        }
        String dtype = n.hasNonNull("dtype") ? n.get("dtype").asText() : n.path("torch_dtype").asText(d.dtype());
        JsonNode useProj = n.path("summary_use_proj");
        if (!useProj.isMissingNode() && !useProj.isBoolean()) {
            throw new BadInputException(file, "summary_use_proj must be true or false, got " + useProj);
        }
        ElectraConfig.Summary summary = new ElectraConfig.Summary(text(file, n, "summary_type", d.summary().type()),
                useProj.asBoolean(d.summary().useProjection()), text(file, n, "summary_activation", d.summary().activation()));
        ElectraConfig config = new ElectraConfig(architectures(file, n),
                positiveInt(file, n, "vocab_size", d.vocabSize()), positiveInt(file, n, "embedding_size", d.embeddingSize()),
                positiveInt(file, n, "hidden_size", d.hiddenSize()), positiveInt(file, n, "num_hidden_layers", d.numHiddenLayers()),
                positiveInt(file, n, "num_attention_heads", d.numAttentionHeads()),
                positiveInt(file, n, "intermediate_size", d.intermediateSize()), act,
                positiveInt(file, n, "max_position_embeddings", d.maxPositionEmbeddings()),
                positiveInt(file, n, "type_vocab_size", d.typeVocabSize()), eps.asDouble(d.layerNormEps()), dtype,
                labels(file, n), n.hasNonNull("problem_type") ? text(file, n, "problem_type", null) : null, summary,
                text(file, n, "position_embedding_type", d.positionEmbeddingType()));
        if (config.hiddenSize() % config.numAttentionHeads() != 0) {
            throw new BadInputException(file, "hidden_size " + config.hiddenSize() + " is not a multiple of num_attention_heads "
                    + config.numAttentionHeads());
        }
        return config;
    }

    private static List<String> architectures(Path file, JsonNode n) {
        List<String> architectures = new ArrayList<>();
        JsonNode archs = n.path("architectures");
        if (archs.isMissingNode() || archs.isNull()) {
            return architectures;
        }
        if (!archs.isArray()) {
            throw new BadInputException(file, "architectures must be a list of class names, got " + archs);
        }
        for (JsonNode a : archs) {
            if (!a.isTextual()) {
                throw new BadInputException(file, "architectures must be a list of class names, got " + archs);
            }
            architectures.add(a.asText());
        }
        return architectures;
    }

    /** As transformers' PretrainedConfig: {@code id2label} wins (ids 0..n-1), then {@code num_labels}, else two. */
    private static List<String> labels(Path file, JsonNode n) {
        JsonNode id2label = n.path("id2label");
        if (id2label.isObject() && !id2label.isEmpty()) {
            String[] names = new String[id2label.size()];
            for (Iterator<Map.Entry<String, JsonNode>> it = id2label.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int id;
                try {
                    id = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    id = -1;
                }
                if (id < 0 || id >= names.length || names[id] != null || !e.getValue().isTextual()) {
                    throw new BadInputException(file, "id2label must map the ids 0.." + (names.length - 1)
                            + " to label names, got " + id2label);
                }
                names[id] = e.getValue().asText();
            }
            return List.of(names);
        }
        if (n.has("num_labels")) {
            return ElectraConfig.unnamedLabels(positiveInt(file, n, "num_labels", 2));
        }
        return ElectraConfig.DEFAULT_LABELS;
    }

    private static String text(Path file, JsonNode n, String key, String defaultValue) {
        JsonNode v = n.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isTextual()) {
            throw new BadInputException(file, key + " must be a string, got " + v);
        }
        return v.asText();
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
