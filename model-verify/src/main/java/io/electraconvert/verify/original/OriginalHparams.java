package io.electraconvert.verify.original;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What an hparams file (the JSON google-research/electra's {@code run_pretraining.py --hparams} or
 * {@code run_finetuning.py --hparams} takes) says about the attention heads and activation of one transformer, read
 * as the original reads it: {@code util/training_utils.get_bert_config} (size table, {@code model_hparam_overrides}
 * applied, {@code num_attention_heads = max(1, hidden // 64)}, overrides applied again), then {@code debug}'s
 * hard-coded body (hidden 144, 4 heads), then for a separate generator {@code run_pretraining.get_generator_config}
 * ({@code int(round(hidden * generator_hidden_size))}, Python's round half to even, heads {@code max(1, hidden //
 * 64)}, the overrides not applied again).
 */
final class OriginalHparams {
    private final Path file;
    private final JsonNode root;

    private OriginalHparams(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    static OriginalHparams read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(InputFiles.readUtf8(file, "hparams file", InputFiles.CONFIG_BYTES));
        } catch (IOException e) {
            throw new BadInputException(file, "hparams file is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(file, "hparams file is not a JSON object");
        }
        return new OriginalHparams(file, root);
    }

    Path file() {
        return file;
    }

    /** The hidden size the file gives the body ({@code electra/}) or the separate generator. */
    int hidden(boolean generator) {
        int body = bodyHidden();
        // Python's int(round(x)): round half to even, as Math.rint
        return generator ? (int) Math.rint(body * number("generator_hidden_size", 0.25)) : body;
    }

    /** The body's ({@code electra/}) or the separate generator's heads, as the original computes them. */
    int heads(boolean generator) {
        int hidden = bodyHidden();
        if (generator) {
            return Math.max(1, hidden(true) / 64);
        }
        if (root.path("debug").asBoolean(false)) {
            return 4; // run_pretraining / run_finetuning hard-code the debug model after get_bert_config
        }
        JsonNode overrides = root.path("model_hparam_overrides");
        if (overrides.has("num_attention_heads")) {
            return positive(overrides, "num_attention_heads");
        }
        return Math.max(1, hidden / 64);
    }

    /** {@code hidden_act}: the overrides' value (the generator's config copies the body's), else BertConfig's gelu. */
    String activation() {
        JsonNode act = root.path("model_hparam_overrides").path("hidden_act");
        return act.isTextual() ? act.asText().toLowerCase(Locale.ROOT) : "gelu";
    }

    private int bodyHidden() {
        if (root.path("debug").asBoolean(false)) {
            return 144;
        }
        JsonNode overrides = root.path("model_hparam_overrides");
        if (overrides.has("hidden_size")) {
            return positive(overrides, "hidden_size");
        }
        String size = root.path("model_size").asText("small");
        return switch (size) {
            case "large" -> 1024;
            case "base" -> 768;
            case "small" -> 256;
            default -> throw new BadInputException(file, "model_size '" + size + "' is not small, base or large");
        };
    }

    private double number(String key, double defaultValue) {
        JsonNode v = root.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isNumber() || !(v.asDouble() > 0)) {
            throw new BadInputException(file, key + " must be a positive number, got " + v);
        }
        return v.asDouble();
    }

    private int positive(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new BadInputException(file, key + " must be a positive integer, got " + v);
        }
        return v.asInt();
    }
}
