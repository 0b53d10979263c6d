package io.electraconvert.hf.electra;

import io.electraconvert.error.BadInputException;
import io.electraconvert.hf.json.JsonStreaming;
import com.fasterxml.jackson.databind.JsonNode;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.files.InputFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A user's description of the model, which wins over inference from shapes and must agree with the tensors.
 * Two forms are accepted:
 * <ul>
 *   <li>google-research/electra hparams ({@code model_size}, {@code vocab_size}, {@code embedding_size},
 *       {@code generator_hidden_size}, {@code generator_layers}, {@code untied_generator_embeddings},
 *       {@code model_hparam_overrides}), expanded exactly as {@code util/training_utils.py get_bert_config},
 *       {@code configure_pretraining.py} and {@code run_pretraining.py get_generator_config} do;</li>
 *   <li>a BERT-style config ({@code hidden_size}, {@code num_attention_heads}, ...) describing the network being
 *       converted.</li>
 * </ul>
 */
public final class Hparams {
    /** Integer sizes a google-research/electra {@code BertConfig} (or a BERT-style config) holds. */
    private static final List<String> INT_KEYS = List.of("vocab_size", "embedding_size", "hidden_size",
            "num_hidden_layers", "num_attention_heads", "intermediate_size", "max_position_embeddings", "type_vocab_size");
    /** {@code modeling.get_activation}'s names; transformers' ACT2FN has each under the same name. */
    private static final List<String> ORIGINAL_ACTIVATIONS = List.of("gelu", "relu", "tanh", "linear");

    private final Path file;
    private final JsonNode root;

    private Hparams(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    public static Hparams read(Path file) {
        String text = InputFiles.readUtf8(file, "hparams file", InputFiles.CONFIG_BYTES);
        JsonNode root;
        try {
            root = JsonStreaming.readTree(text);
        } catch (IOException e) {
            throw new BadInputException(file, "hparams file is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(file, "hparams file is not a JSON object");
        }
        Hparams hparams = new Hparams(file, root);
        hparams.validateTypes();
        return hparams;
    }

    /** Every value this class reads has the type google-research/electra gives it, so no later step guesses. */
    private void validateTypes() {
        JsonNode overrides = root.get("model_hparam_overrides");
        if (overrides != null && !overrides.isObject()) {
            throw new BadInputException(file, "model_hparam_overrides must be a JSON object, got " + overrides);
        }
        for (JsonNode node : overrides == null ? List.of(root) : List.of(root, overrides)) {
            for (String key : INT_KEYS) {
                if (node.has(key) && !(node == root && key.equals("embedding_size") && node.get(key).isNull())) {
                    intValue(node, key);
                }
            }
            if (node.has("hidden_act")) {
                activation(node.get("hidden_act"));
            }
        }
        for (String key : new String[] {"generator_hidden_size", "generator_layers"}) {
            JsonNode v = root.get(key);
            if (v != null && (!v.isNumber() || !(v.asDouble() > 0))) {
                throw new BadInputException(file, key + " must be a positive number, got " + v);
            }
        }
        JsonNode size = root.get("model_size");
        if (size != null && !size.isTextual()) {
            throw new BadInputException(file, "model_size must be \"small\", \"base\" or \"large\", got " + size);
        }
        JsonNode untied = root.get("untied_generator_embeddings");
        if (untied != null && !untied.isBoolean()) {
            throw new BadInputException(file, "untied_generator_embeddings must be true or false, got " + untied);
        }
    }

    /**
     * An activation as google-research/electra's {@code modeling.get_activation} accepts it (case-insensitive),
     * under the name transformers gives the same function.
     */
    private String activation(JsonNode value) {
        String name = value.isTextual() ? value.asText().toLowerCase(Locale.ROOT) : "";
        if (!ORIGINAL_ACTIVATIONS.contains(name)) {
            throw new BadInputException(file, "hidden_act must be one of " + ORIGINAL_ACTIVATIONS
                    + " (google-research/electra's get_activation), got " + value);
        }
        return name;
    }

    public Path file() {
        return file;
    }

    private boolean isBertStyle() {
        return root.has("hidden_size") && !root.has("model_hparam_overrides") && !root.has("model_size");
    }

    /** The values this file states for a network, keyed by HF config name. */
    Map<String, Object> statedValues(ElectraNetwork network) {
        return isBertStyle() ? bertStyle() : googleStyle(network);
    }

    private Map<String, Object> bertStyle() {
        Map<String, Object> v = new LinkedHashMap<>();
        for (String key : new String[] {"vocab_size", "embedding_size", "hidden_size", "num_hidden_layers",
                "num_attention_heads", "intermediate_size", "max_position_embeddings", "type_vocab_size"}) {
            if (root.has(key)) {
                v.put(key, intValue(root, key));
            }
        }
        if (root.has("hidden_act")) {
            v.put("hidden_act", activation(root.get("hidden_act")));
        }
        return v;
    }

    private Map<String, Object> googleStyle(ElectraNetwork network) {
        JsonNode overrides = root.path("model_hparam_overrides");
        String modelSize = root.path("model_size").asText("small"); // configure_pretraining.py default
        int hidden;
        int layers;
        switch (modelSize) {
            case "large" -> { hidden = 1024; layers = 24; }
            case "base" -> { hidden = 768; layers = 12; }
            case "small" -> { hidden = 256; layers = 12; }
            default -> throw new BadInputException(file, "unknown model_size '" + modelSize + "' (small, base or large)");
        }
        Map<String, Object> disc = new LinkedHashMap<>();
        disc.put("hidden_size", hidden);
        disc.put("num_hidden_layers", layers);
        if (root.has("vocab_size")) {
            disc.put("vocab_size", intValue(root, "vocab_size"));
        }
        putOverrides(overrides, disc);
        hidden = (Integer) disc.get("hidden_size");
        disc.put("num_attention_heads", Math.max(1, hidden / 64));
        disc.put("intermediate_size", 4 * hidden);
        putOverrides(overrides, disc); // get_bert_config applies the overrides twice so they win over the rules
        // configure_pretraining.py: embedding_size None means the hidden size; "small" forces 128
        Integer embedding = root.hasNonNull("embedding_size") ? intValue(root, "embedding_size") : null;
        if (modelSize.equals("small")) {
            embedding = 128;
        }
        if (network == ElectraNetwork.DISCRIMINATOR) {
            disc.put("embedding_size", embedding != null ? embedding : (Integer) disc.get("hidden_size"));
            return disc;
        }
        Map<String, Object> gen = new LinkedHashMap<>(disc);
        double hiddenFraction = root.path("generator_hidden_size").asDouble(0.25);
        double layerFraction = root.path("generator_layers").asDouble(1.0);
        int genHidden = (int) Math.round((Integer) disc.get("hidden_size") * hiddenFraction);
        gen.put("hidden_size", genHidden);
        gen.put("num_hidden_layers", (int) Math.round((Integer) disc.get("num_hidden_layers") * layerFraction));
        gen.put("intermediate_size", 4 * genHidden);
        gen.put("num_attention_heads", Math.max(1, genHidden / 64));
        boolean untied = root.path("untied_generator_embeddings").asBoolean(false);
        gen.put("embedding_size", untied ? genHidden : embedding != null ? embedding : (Integer) disc.get("hidden_size"));
        return gen;
    }

    private void putOverrides(JsonNode overrides, Map<String, Object> target) {
        for (String key : INT_KEYS) {
            if (overrides.has(key)) {
                target.put(key, intValue(overrides, key));
            }
        }
        if (overrides.has("hidden_act")) {
            target.put("hidden_act", activation(overrides.get("hidden_act")));
        }
    }

    private int intValue(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new BadInputException(file, key + " must be a positive integer, got " + v);
        }
        return v.asInt();
    }

    /**
     * The inferred config with this file's values applied. A stated value that the tensors contradict is an
     * error naming both; values the tensors cannot show (heads, activation) are taken from the file.
     */
    public ElectraConfig apply(ElectraConfig inferred, ElectraNetwork network) {
        Map<String, Object> stated = statedValues(network);
        check(stated, "vocab_size", inferred.vocabSize(), network);
        check(stated, "embedding_size", inferred.embeddingSize(), network);
        check(stated, "hidden_size", inferred.hiddenSize(), network);
        check(stated, "num_hidden_layers", inferred.numHiddenLayers(), network);
        check(stated, "intermediate_size", inferred.intermediateSize(), network);
        check(stated, "max_position_embeddings", inferred.maxPositionEmbeddings(), network);
        check(stated, "type_vocab_size", inferred.typeVocabSize(), network);
        int heads = stated.get("num_attention_heads") instanceof Integer h ? h : inferred.numAttentionHeads();
        if (inferred.hiddenSize() % heads != 0) {
            throw new BadInputException(file, network.cliName() + " num_attention_heads " + heads
                    + " does not divide hidden_size " + inferred.hiddenSize());
        }
        String act = stated.get("hidden_act") instanceof String a ? a : inferred.hiddenAct();
        return inferred.withHeadsAndActivation(heads, act);
    }

    private void check(Map<String, Object> stated, String key, int fromTensors, ElectraNetwork network) {
        Object value = stated.get(key);
        if (value instanceof Integer v && v != fromTensors) {
            String why = key.equals("embedding_size") && !isBertStyle() && root.path("model_size").asText("small").equals("small")
                    ? " (model_size \"small\" forces embedding_size 128 in google-research/electra)" : "";
            throw new BadInputException(file, "hparams give the " + network.cliName() + " " + key + " = " + v
                    + " but the checkpoint's tensors have " + key + " = " + fromTensors + why);
        }
    }
}
