package io.electraconvert.hf.electra;

import com.fasterxml.jackson.databind.JsonNode;
import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import io.electraconvert.hf.json.JsonStreaming;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A user's description of the model, which wins over inference from shapes and must agree with the tensors.
 * Two forms are accepted:
 * <ul>
 *   <li>google-research/electra hparams (the JSON {@code run_pretraining.py} / {@code run_finetuning.py} take as
 *       {@code --hparams}), expanded exactly as the original expands them: {@code configure_pretraining.py} /
 *       {@code configure_finetuning.py} (defaults, the passed values, the size defaults, the passed values again),
 *       {@code util/training_utils.get_bert_config}, the {@code debug} sizes hard-coded after it, and
 *       {@code run_pretraining.get_generator_config}. A key the original's config class does not have is refused as
 *       the original refuses it;</li>
 *   <li>a BERT-style config ({@code hidden_size}, {@code num_attention_heads}, ...) describing the network being
 *       converted, taken as {@code BertConfig.from_dict} takes it.</li>
 * </ul>
 */
public final class Hparams {
    /** Integer sizes a google-research/electra {@code BertConfig} (or a BERT-style config) holds. */
    private static final List<String> INT_KEYS = List.of("vocab_size", "embedding_size", "hidden_size",
            "num_hidden_layers", "num_attention_heads", "intermediate_size", "max_position_embeddings", "type_vocab_size");
    /** {@code modeling.get_activation}'s names; transformers' ACT2FN has each under the same name. */
    private static final List<String> ORIGINAL_ACTIVATIONS = List.of("gelu", "relu", "tanh", "linear");
    /** Settings read here that the original takes as booleans. */
    private static final List<String> BOOLEAN_KEYS = List.of("debug", "electra_objective", "electric_objective",
            "uniform_generator", "two_tower_generator", "untied_generator_embeddings", "untied_generator",
            "joint_prediction", "answerable_classifier", "answerable_uses_start_logits");

    /** Which of the original's scripts (and config classes) a checkpoint, and so its hparams, belongs to. */
    public enum Script {
        PRETRAINING("configure_pretraining.PretrainingConfig", Set.of("debug", "do_train", "do_eval", "electra_objective",
                "electric_objective", "gen_weight", "disc_weight", "mask_prob", "learning_rate", "lr_decay_power",
                "weight_decay_rate", "num_warmup_steps", "iterations_per_loop", "save_checkpoints_steps", "num_train_steps",
                "num_eval_steps", "keep_checkpoint_max", "model_size", "model_hparam_overrides", "embedding_size",
                "vocab_size", "do_lower_case", "uniform_generator", "two_tower_generator", "untied_generator_embeddings",
                "untied_generator", "generator_layers", "generator_hidden_size", "disallow_correct", "temperature",
                "max_seq_length", "train_batch_size", "eval_batch_size", "use_tpu", "num_tpu_cores", "tpu_job_name",
                "tpu_name", "tpu_zone", "gcp_project", "pretrain_tfrecords", "vocab_file", "model_dir", "results_txt",
                "results_pkl")),
        FINETUNING("configure_finetuning.FinetuningConfig", Set.of("debug", "log_examples", "num_trials", "do_train",
                "do_eval", "keep_all_models", "model_size", "task_names", "model_hparam_overrides", "embedding_size",
                "vocab_size", "do_lower_case", "learning_rate", "weight_decay_rate", "layerwise_lr_decay",
                "num_train_epochs", "warmup_proportion", "save_checkpoints_steps", "iterations_per_loop",
                "use_tfrecords_if_existing", "write_test_outputs", "n_writes_test", "max_seq_length", "train_batch_size",
                "eval_batch_size", "predict_batch_size", "double_unordered", "max_query_length", "doc_stride",
                "n_best_size", "max_answer_length", "answerable_classifier", "answerable_uses_start_logits",
                "answerable_weight", "joint_prediction", "beam_size", "qa_na_threshold", "use_tpu", "num_tpu_cores",
                "tpu_job_name", "tpu_name", "tpu_zone", "gcp_project", "raw_data_dir", "vocab_file", "init_checkpoint",
                "model_dir", "results_txt", "results_pkl", "qa_eval_file", "qa_preds_file", "qa_na_file",
                "preprocessed_data_dir", "test_predictions"));

        private final String configClass;
        /** The attributes the class has when it applies the passed hparams (those set later, such as
         * {@code max_predictions_per_seq}, are refused by its {@code update}). */
        private final Set<String> keys;

        Script(String configClass, Set<String> keys) {
            this.configClass = configClass;
            this.keys = keys;
        }

        public String configClass() {
            return configClass;
        }
    }

    /** The transformer a set of values describes: the {@code electra/} body or the separate {@code generator/}. */
    public enum Tower { BODY, GENERATOR }

    /** A value these hparams give, and how: the key that states it, or the original's rule applied to them. */
    public record Stated(Object value, String how) {}

    private final Path file;
    private final JsonNode root;
    private final boolean found;

    private Hparams(Path file, JsonNode root, boolean found) {
        this.file = file;
        this.root = root;
        this.found = found;
    }

    /** The hparams file a user names. */
    public static Hparams read(Path file) {
        return read(file, false);
    }

    /** The {@code hparams.json} found beside a checkpoint. */
    public static Hparams found(Path file) {
        return read(file, true);
    }

    private static Hparams read(Path file, boolean found) {
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
        Hparams hparams = new Hparams(file, root, found);
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
        for (String key : BOOLEAN_KEYS) {
            JsonNode v = root.get(key);
            if (v != null && !v.isBoolean()) {
                throw new BadInputException(file, key + " must be true or false, got " + v);
            }
        }
        JsonNode tasks = root.get("task_names");
        if (tasks != null && (!tasks.isArray() || tasks.isEmpty() || !allText(tasks))) {
            throw new BadInputException(file, "task_names must be a list of task names, got " + tasks);
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                return false;
            }
        }
        return true;
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

    /** Whether this is the {@code hparams.json} found beside the checkpoint rather than one the user named. */
    public boolean foundBesideCheckpoint() {
        return found;
    }

    /** A BERT-style config ({@code hidden_size} at the top, no google-research/electra settings). */
    public boolean isBertStyle() {
        return root.has("hidden_size") && !root.has("model_hparam_overrides") && !root.has("model_size");
    }

    /**
     * Refuses a key that {@code script}'s config class does not have, as its {@code update} does ({@code ValueError:
     * Unknown hparam <key>}); {@code model_name} and {@code data_dir} are the class's positional arguments, which the
     * original cannot take twice. A BERT-style config is taken by {@code BertConfig.from_dict}, which refuses nothing.
     */
    public void checkKeys(Script script) {
        if (isBertStyle()) {
            return;
        }
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.equals("model_name") || key.equals("data_dir")) {
                throw new BadInputException(file, "'" + key + "' is not an hparam: it is the command-line argument --"
                        + key.replace('_', '-') + " of google-research/electra's scripts (" + script.configClass
                        + " takes it as a positional argument)");
            }
            if (!script.keys.contains(key)) {
                throw new BadInputException(file, "unknown hparam '" + key + "': " + script.configClass
                        + " has no such setting (google-research/electra refuses it: Unknown hparam " + key + ")");
            }
        }
    }

    /** A boolean setting, or the original's default when the file does not give it. */
    public boolean flag(String key, boolean defaultValue) {
        return root.path(key).asBoolean(defaultValue);
    }

    /** Whether the file gives {@code key} at the top level. */
    public boolean states(String key) {
        return root.has(key);
    }

    /** {@code task_names}, when given. */
    public Optional<List<String>> taskNames() {
        if (!root.has("task_names")) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        root.get("task_names").forEach(n -> names.add(n.asText()));
        return Optional.of(names);
    }

    /** The values this file states for a tower, keyed by HF config name, each with how the file gives it. */
    public Map<String, Stated> stated(Tower tower) {
        return isBertStyle() ? bertStyle() : googleStyle(tower);
    }

    private Map<String, Stated> bertStyle() {
        Map<String, Stated> v = new LinkedHashMap<>();
        for (String key : INT_KEYS) {
            if (root.has(key)) {
                v.put(key, new Stated(intValue(root, key), key));
            }
        }
        if (root.has("hidden_act")) {
            v.put("hidden_act", new Stated(activation(root.get("hidden_act")), "hidden_act"));
        }
        return v;
    }

    /**
     * The original's expansion, step by step: {@code get_bert_config} (size table, {@code vocab_size}, overrides,
     * the head and feed-forward rules, overrides again), {@code BertConfig}'s defaults for what nobody sets, the
     * {@code debug} sizes, the embedding size of the configure file, then {@code get_generator_config} for the
     * generator.
     */
    private Map<String, Stated> googleStyle(Tower tower) {
        JsonNode overrides = root.path("model_hparam_overrides");
        String modelSize = root.path("model_size").asText("small"); // both configure files default to "small"
        String sizeHow = root.has("model_size") ? "model_size \"" + modelSize + "\"" : "model_size default \"small\"";
        int hidden;
        int layers;
        switch (modelSize) {
            case "large" -> { hidden = 1024; layers = 24; }
            case "base" -> { hidden = 768; layers = 12; }
            case "small" -> { hidden = 256; layers = 12; }
            default -> throw new BadInputException(file, "unknown model_size '" + modelSize + "' (small, base or large)");
        }
        Map<String, Stated> body = new LinkedHashMap<>();
        body.put("hidden_size", new Stated(hidden, sizeHow + " (get_bert_config)"));
        body.put("num_hidden_layers", new Stated(layers, sizeHow + " (get_bert_config)"));
        body.put("vocab_size", root.has("vocab_size") ? new Stated(intValue(root, "vocab_size"), "vocab_size")
                : new Stated(30522, "vocab_size default 30522"));
        putOverrides(overrides, body);
        int h = (Integer) body.get("hidden_size").value();
        body.put("num_attention_heads", new Stated(Math.max(1, h / 64), "max(1, hidden_size // 64) (get_bert_config)"));
        body.put("intermediate_size", new Stated(4 * h, "4 x hidden_size (get_bert_config)"));
        putOverrides(overrides, body); // get_bert_config applies the overrides twice so they win over the rules
        body.putIfAbsent("max_position_embeddings", new Stated(512, "BertConfig default 512"));
        body.putIfAbsent("type_vocab_size", new Stated(2, "BertConfig default 2"));
        body.putIfAbsent("hidden_act", new Stated("gelu", "BertConfig default gelu"));
        if (flag("debug", false)) { // run_pretraining.py / run_finetuning.py, after get_bert_config: overrides lose
            body.put("num_hidden_layers", new Stated(3, "debug: true (hard-coded 3 layers)"));
            body.put("hidden_size", new Stated(144, "debug: true (hard-coded hidden size 144)"));
            body.put("intermediate_size", new Stated(576, "debug: true (hard-coded 144 * 4)"));
            body.put("num_attention_heads", new Stated(4, "debug: true (hard-coded 4 heads)"));
        }
        // configure_*.py: kwargs, then model_size "small" sets 128, then kwargs again (an explicit value wins);
        // None (unset or null) means the body's hidden size
        JsonNode embedding = root.get("embedding_size");
        if (embedding != null && !embedding.isNull()) {
            body.put("embedding_size", new Stated(intValue(root, "embedding_size"), "embedding_size"));
        } else if (modelSize.equals("small") && embedding == null) {
            body.put("embedding_size", new Stated(128, sizeHow + " (configure file sets embedding_size 128)"));
        } else {
            body.put("embedding_size", new Stated(body.get("hidden_size").value(), "hidden_size (embedding_size "
                    + (embedding == null ? "unset" : "null") + ")"));
        }
        if (tower == Tower.BODY) {
            return body;
        }
        Map<String, Stated> gen = new LinkedHashMap<>(body);
        double hiddenFraction = root.path("generator_hidden_size").asDouble(0.25);
        double layerFraction = root.path("generator_layers").asDouble(1.0);
        String hiddenHow = root.has("generator_hidden_size") ? "generator_hidden_size " + root.get("generator_hidden_size")
                : "generator_hidden_size default 0.25";
        String layersHow = root.has("generator_layers") ? "generator_layers " + root.get("generator_layers")
                : "generator_layers default 1.0";
        // Python's int(round(x)) rounds half to even, as Math.rint does (0.125 * 36 = 4.5 -> 4)
        int genHidden = (int) Math.rint((Integer) body.get("hidden_size").value() * hiddenFraction);
        gen.put("hidden_size", new Stated(genHidden, "round(hidden_size x " + hiddenHow + ") (get_generator_config)"));
        gen.put("num_hidden_layers", new Stated((int) Math.rint((Integer) body.get("num_hidden_layers").value() * layerFraction),
                "round(num_hidden_layers x " + layersHow + ") (get_generator_config)"));
        gen.put("intermediate_size", new Stated(4 * genHidden, "4 x generator hidden size (get_generator_config)"));
        gen.put("num_attention_heads", new Stated(Math.max(1, genHidden / 64),
                "max(1, generator hidden size // 64) (get_generator_config)"));
        if (flag("untied_generator_embeddings", false)) {
            gen.put("embedding_size", new Stated(genHidden, "generator hidden size (untied_generator_embeddings)"));
        }
        return gen;
    }

    private void putOverrides(JsonNode overrides, Map<String, Stated> target) {
        for (String key : INT_KEYS) {
            if (overrides.has(key) && !key.equals("embedding_size")) {
                target.put(key, new Stated(intValue(overrides, key), "model_hparam_overrides." + key));
            }
        }
        if (overrides.has("hidden_act")) {
            target.put("hidden_act", new Stated(activation(overrides.get("hidden_act")), "model_hparam_overrides.hidden_act"));
        }
    }

    private int intValue(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new BadInputException(file, key + " must be a positive integer, got " + v);
        }
        return v.asInt();
    }

    /** How messages name this file: its path, and that it was found beside the checkpoint when it was. */
    public String describe() {
        return file + (found ? " (found beside the checkpoint)" : "");
    }
}
