package io.electraconvert.hf.formats.h5;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Keras 2 HDF5 layout transformers 4.x's {@code TFElectraForPreTraining} / {@code TFElectraForMaskedLM}
 * {@code save_pretrained} writes (ground truth: {@code testdata/hf-tf-golden/}), and the HF (PyTorch) key of each
 * weight.
 *
 * <p>One group per top-level Keras layer ({@code electra}, {@code discriminator_predictions} or
 * {@code generator_predictions} + {@code generator_lm_head}); each lists its weights in attribute
 * {@code weight_names} as {@code <model>/<scope>/<var>:0}, stored at {@code <layer>/<weight name>}. The MaskedLM
 * file repeats the five embedding weights under {@code generator_lm_head} (Keras tracks the tied embeddings layer
 * there). Dense kernels are {@code [in, out]}, the transpose of the PyTorch {@code [out, in]} weight.
 */
public final class KerasLayout {
    /** {@code keras_version} written by tf_keras 2.21.0 (the golden files). */
    public static final String KERAS_VERSION = "2.21.0";
    public static final String BACKEND = "tensorflow";
    /** The near-empty group newer Keras 2 writes; HF never reads it (it is not in {@code layer_names}). */
    public static final String TOP_LEVEL_GROUP = "top_level_model_weights";

    /** Which HF head class the weights belong to. */
    public enum Head {
        PRE_TRAINING("tf_electra_for_pre_training", List.of("electra", "discriminator_predictions")),
        MASKED_LM("tf_electra_for_masked_lm", List.of("electra", "generator_predictions", "generator_lm_head"));

        private final String modelName;
        private final List<String> layerNames;

        Head(String modelName, List<String> layerNames) {
            this.modelName = modelName;
            this.layerNames = layerNames;
        }

        /** The Keras model name, the first component of every weight name (HF's loader strips it). */
        public String modelName() {
            return modelName;
        }

        public List<String> layerNames() {
            return layerNames;
        }
    }

    /** One weight: its {@code weight_names} entry, the dataset path, the HF key and whether it is a kernel. */
    public record Weight(String layer, String weightName, String hfKey, boolean kernel) {
        public String datasetPath() {
            return layer + "/" + weightName;
        }
    }

    /** A top-level layer group and its weights in {@code weight_names} order. */
    public record Layer(String name, List<Weight> weights) {
        public List<String> weightNames() {
            return weights.stream().map(Weight::weightName).toList();
        }
    }

    private static final Pattern ENCODER_LAYER = Pattern.compile("^electra\\.encoder\\.layer\\.(\\d+)\\.");
    private static final List<String> EMBEDDINGS = List.of(
            "electra.embeddings.word_embeddings.weight",
            "electra.embeddings.token_type_embeddings.weight",
            "electra.embeddings.position_embeddings.weight",
            "electra.embeddings.LayerNorm.weight",
            "electra.embeddings.LayerNorm.bias");
    private static final List<String> ENCODER_LAYER_MODULES = List.of(
            "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
            "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm");

    private final Head head;
    private final List<Layer> layers;

    private KerasLayout(Head head, List<Layer> layers) {
        this.head = head;
        this.layers = List.copyOf(layers);
    }

    public Head head() {
        return head;
    }

    public List<Layer> layers() {
        return layers;
    }

    /**
     * The layout for a set of HF state_dict keys ({@code ElectraForPreTraining} / {@code ElectraForMaskedLM},
     * {@code electra.}-prefixed). Every key must be placed; an unknown or missing key is an error.
     */
    public static KerasLayout forKeys(Collection<String> hfKeys) {
        Set<String> keys = Set.copyOf(hfKeys);
        boolean discriminator = keys.stream().anyMatch(k -> k.startsWith("discriminator_predictions."));
        boolean generator = keys.stream().anyMatch(k -> k.startsWith("generator_predictions.") || k.startsWith("generator_lm_head."));
        if (discriminator == generator) {
            throw new IllegalArgumentException(discriminator
                    ? "tensors hold both discriminator_predictions and generator_predictions heads"
                    : "tensors hold neither an ElectraForPreTraining nor an ElectraForMaskedLM head");
        }
        Head head = discriminator ? Head.PRE_TRAINING : Head.MASKED_LM;
        String p = head.modelName();

        List<String> electra = new ArrayList<>(EMBEDDINGS);
        if (keys.contains("electra.embeddings_project.weight")) {
            electra.add("electra.embeddings_project.weight");
            electra.add("electra.embeddings_project.bias");
        }
        int layerCount = 0;
        for (String k : keys) {
            Matcher m = ENCODER_LAYER.matcher(k);
            if (m.find()) {
                layerCount = Math.max(layerCount, Integer.parseInt(m.group(1)) + 1);
            }
        }
        for (int i = 0; i < layerCount; i++) {
            for (String module : ENCODER_LAYER_MODULES) {
                electra.add("electra.encoder.layer." + i + "." + module + ".weight");
                electra.add("electra.encoder.layer." + i + "." + module + ".bias");
            }
        }

        List<Layer> layers = new ArrayList<>();
        layers.add(layer("electra", p, electra));
        if (head == Head.PRE_TRAINING) {
            layers.add(layer("discriminator_predictions", p, List.of(
                    "discriminator_predictions.dense.weight", "discriminator_predictions.dense.bias",
                    "discriminator_predictions.dense_prediction.weight", "discriminator_predictions.dense_prediction.bias")));
        } else {
            layers.add(layer("generator_predictions", p, List.of(
                    "generator_predictions.LayerNorm.weight", "generator_predictions.LayerNorm.bias",
                    "generator_predictions.dense.weight", "generator_predictions.dense.bias")));
            List<String> lmHead = new ArrayList<>();
            lmHead.add("generator_lm_head.bias");
            lmHead.addAll(EMBEDDINGS);
            layers.add(layer("generator_lm_head", p, lmHead));
        }

        Set<String> placed = new java.util.HashSet<>();
        layers.forEach(l -> l.weights().forEach(w -> placed.add(w.hfKey())));
        List<String> unknown = keys.stream().filter(k -> !placed.contains(k) && !k.equals("generator_lm_head.weight")).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no TF (Keras h5) name for tensor(s) " + unknown);
        }
        List<String> missing = placed.stream().filter(k -> !keys.contains(k)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("tensor(s) missing for the TF (Keras h5) layout: " + missing);
        }
        return new KerasLayout(head, layers);
    }

    private static Layer layer(String name, String modelName, List<String> hfKeys) {
        List<Weight> weights = new ArrayList<>();
        for (String key : hfKeys) {
            String tf = tfName(key);
            weights.add(new Weight(name, modelName + "/" + tf, key, tf.endsWith("/kernel:0")));
        }
        return new Layer(name, weights);
    }

    /**
     * The TF variable name (without the model prefix) of an HF key: the inverse of transformers 4.57
     * {@code convert_tf_weight_name_to_pt_weight_name} for ELECTRA.
     */
    public static String tfName(String hfKey) {
        List<String> parts = new ArrayList<>(Arrays.asList(hfKey.split("\\.")));
        String last = parts.remove(parts.size() - 1);
        String module = parts.get(parts.size() - 1);
        String var;
        if (module.equals("LayerNorm")) {
            var = last.equals("weight") ? "gamma" : "beta";
        } else if (module.equals("word_embeddings")) {
            var = "weight";
        } else if (module.endsWith("_embeddings")) {
            var = "embeddings";
        } else if (last.equals("weight")) {
            var = "kernel";
        } else {
            var = last;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sb.append(parts.get(i - 1).equals("layer") && parts.get(i).matches("\\d+") ? "_._" : "/");
            }
            sb.append(parts.get(i));
        }
        return sb.append('/').append(var).append(":0").toString();
    }

    /**
     * The HF key of a {@code weight_names} entry (first component, the Keras model name, stripped as HF's loader
     * does), and whether it is a kernel to transpose. Follows 4.57 {@code convert_tf_weight_name_to_pt_weight_name}.
     */
    public static Weight fromWeightName(String layer, String weightName) {
        int slash = weightName.indexOf('/');
        String name = slash < 0 ? weightName : weightName.substring(slash + 1);
        if (name.endsWith(":0")) {
            name = name.substring(0, name.length() - 2);
        }
        name = name.replace("_._", "/");
        String[] parts = name.split("/");
        String last = parts[parts.length - 1];
        boolean kernel = last.equals("kernel");
        parts[parts.length - 1] = switch (last) {
            case "kernel", "gamma", "embeddings" -> "weight";
            case "beta" -> "bias";
            default -> last;
        };
        return new Weight(layer, weightName, String.join(".", parts), kernel);
    }
}
