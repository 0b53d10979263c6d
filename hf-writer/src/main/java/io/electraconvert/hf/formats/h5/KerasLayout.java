package io.electraconvert.hf.formats.h5;

import io.electraconvert.hf.schema.ElectraSchema;
import io.electraconvert.hf.schema.HeadKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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

    private final String modelName;
    private final List<Layer> layers;

    private KerasLayout(String modelName, List<Layer> layers) {
        this.modelName = modelName;
        this.layers = List.copyOf(layers);
    }

    /** The Keras model name, the first component of every weight name (HF's loader strips it). */
    public String modelName() {
        return modelName;
    }

    public List<String> layerNames() {
        return layers.stream().map(Layer::name).toList();
    }

    public List<Layer> layers() {
        return layers;
    }

    /**
     * The layout of a state dict's keys, given in the order a conversion writes them ({@code ElectraSchema}'s):
     * one Keras layer per top-level module ({@code electra}, then the head's), in that order. Keras lists weights in
     * the order its layers create them, which differs from the PyTorch modules' in two places: the token-type
     * embeddings come before the position embeddings, and the generator head's LayerNorm before its dense layer.
     * The masked-LM head's {@code generator_lm_head} layer also lists the five embedding weights it ties to.
     */
    public static KerasLayout forKeys(List<String> hfKeys) {
        Map<String, List<String>> byModule = new LinkedHashMap<>();
        for (String key : hfKeys) {
            if (!ElectraSchema.TIED_KEYS.containsKey(key)) {
                byModule.computeIfAbsent(key.substring(0, key.indexOf('.')), m -> new ArrayList<>()).add(key);
            }
        }
        HeadKind head = headOf(byModule.keySet());
        String model = snakeCase("TF" + head.architecture());
        List<Layer> layers = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byModule.entrySet()) {
            List<String> keys = new ArrayList<>(e.getValue());
            creationOrder(keys, "embeddings.token_type_embeddings.weight", "embeddings.position_embeddings.weight");
            creationOrder(keys, "generator_predictions.LayerNorm.weight", "generator_predictions.dense.weight");
            creationOrder(keys, "generator_predictions.LayerNorm.bias", "generator_predictions.dense.weight");
            if (e.getKey().equals("generator_lm_head")) {
                keys.addAll(byModule.get("electra").stream().filter(k -> k.startsWith("electra.embeddings.")).toList());
                creationOrder(keys, "embeddings.token_type_embeddings.weight", "embeddings.position_embeddings.weight");
            }
            layers.add(layer(e.getKey(), model, keys));
        }
        return new KerasLayout(model, layers);
    }

    /** Moves the key ending in {@code first} just before the one ending in {@code before}, if both are there. */
    private static void creationOrder(List<String> keys, String first, String before) {
        int f = indexEndingWith(keys, first);
        int b = indexEndingWith(keys, before);
        if (f > b && b >= 0) {
            keys.add(b, keys.remove(f));
        }
    }

    private static int indexEndingWith(List<String> keys, String suffix) {
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).endsWith(suffix)) {
                return i;
            }
        }
        return -1;
    }

    private static HeadKind headOf(Set<String> modules) {
        for (HeadKind head : HeadKind.values()) {
            if (head != HeadKind.BODY && ElectraSchema.topModules(head).equals(modules)) {
                return head;
            }
        }
        throw new IllegalArgumentException("tensors of modules " + modules + " are no ELECTRA head transformers' TF classes save");
    }

    /** Keras's name for a class: {@code TFElectraForMaskedLM} -> {@code tf_electra_for_masked_lm}. */
    static String snakeCase(String className) {
        return className.replaceAll("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_").toLowerCase(Locale.ROOT);
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
