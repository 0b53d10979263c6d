package io.electraconvert.hf.mapping;

import io.electraconvert.error.BadInputException;
import io.electraconvert.error.UnsupportedInputException;
import io.electraconvert.hf.electra.ElectraCheckpointModel;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.electra.NetworkLayout;
import io.electraconvert.hf.electra.TensorShapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * TF variable names -> HF state_dict keys for one network (transformers {@code load_tf_weights_in_electra}, minus
 * its silent skips). Every variable is either mapped onto a key that {@link ElectraStateDict} expects, with the
 * expected shape, or dropped for a stated reason; anything else is an error, and so is an expected key that no
 * variable fills.
 */
public final class ElectraVariableMap {
    private ElectraVariableMap() {}

    public static ConversionPlan plan(TensorShapes shapes, NetworkLayout layout) {
        ElectraNetwork network = layout.network();
        Map<String, long[]> expected = ElectraStateDict.expectedShapes(layout.config(), network);
        Map<String, MappedVariable> byKey = new LinkedHashMap<>();
        List<DroppedVariable> dropped = new ArrayList<>();
        for (String name : shapes.names()) {
            Optional<String> dropReason = dropReason(name, layout);
            if (dropReason.isPresent()) {
                dropped.add(new DroppedVariable(name, dropReason.get()));
                continue;
            }
            String key = hfKey(name, layout).orElseThrow(() -> unknown(shapes, name, network));
            long[] expectedShape = expected.get(key);
            if (expectedShape == null) {
                throw unknown(shapes, name, network);
            }
            boolean transpose = name.endsWith("/kernel");
            long[] tfShape = shapes.find(name).orElseThrow();
            long[] hfShape = transpose && tfShape.length == 2 ? new long[] {tfShape[1], tfShape[0]} : tfShape;
            if (!Arrays.equals(hfShape, expectedShape)) {
                throw new BadInputException(shapes.source(), "variable '" + name + "' has shape "
                        + Arrays.toString(tfShape) + " but the " + network.cliName() + " config needs "
                        + Arrays.toString(transpose ? new long[] {expectedShape[1], expectedShape[0]} : expectedShape));
            }
            if (byKey.put(key, new MappedVariable(name, key, transpose)) != null) {
                throw new BadInputException(shapes.source(), "two variables map onto " + key);
            }
        }
        List<MappedVariable> ordered = new ArrayList<>();
        for (String key : expected.keySet()) {
            MappedVariable m = byKey.get(key);
            if (m == null) {
                throw new BadInputException(shapes.source(), "the " + network.cliName()
                        + " is incomplete: no variable provides " + key);
            }
            ordered.add(m);
        }
        return new ConversionPlan(network, layout.config(), ordered, dropped);
    }

    private static UnsupportedInputException unknown(TensorShapes shapes, String name, ElectraNetwork network) {
        return new UnsupportedInputException(shapes.source(), "unknown variable '" + name
                + "': not part of an ELECTRA pretraining checkpoint's " + network.cliName() + " and not known to be safe to drop");
    }

    private static Optional<String> dropReason(String name, NetworkLayout layout) {
        if (name.endsWith("/adam_m") || name.endsWith("/adam_v")) {
            return Optional.of("Adam optimizer slot");
        }
        if (name.equals("global_step")) {
            return Optional.of("training step counter");
        }
        ElectraNetwork other = layout.network().other();
        boolean inOwnEmbeddings = name.startsWith(layout.embeddingsScope());
        boolean inEmbeddings = name.startsWith(ElectraCheckpointModel.SHARED_EMBEDDINGS)
                || name.startsWith(ElectraCheckpointModel.UNTIED_GENERATOR_EMBEDDINGS);
        if (inEmbeddings && !inOwnEmbeddings) {
            return Optional.of("embeddings of the " + other.cliName() + " (this network has its own)");
        }
        if (!inEmbeddings && (name.startsWith(other.towerScope()) || name.startsWith(other.headScope()))) {
            return Optional.of("belongs to the " + other.cliName());
        }
        return Optional.empty();
    }

    /** The HF key a variable of this network maps to, if its name has the ELECTRA form. */
    static Optional<String> hfKey(String name, NetworkLayout layout) {
        if (name.startsWith(layout.embeddingsScope())) {
            String rest = name.substring(layout.embeddingsScope().length());
            return Optional.of("electra.embeddings." + (rest.endsWith("_embeddings") ? rest + ".weight" : modulePath(rest)));
        }
        if (name.startsWith(layout.towerScope())) {
            return Optional.of("electra." + modulePath(name.substring(layout.towerScope().length())));
        }
        String head = layout.network().headScope();
        if (name.equals("generator_predictions/output_bias")) {
            return Optional.of("generator_lm_head.bias");
        }
        if (name.startsWith(head)) {
            return Optional.of(head.replace("/", ".") + modulePath(name.substring(head.length())).replace("dense_1.", "dense_prediction."));
        }
        return Optional.empty();
    }

    private static final Pattern LAYER_SCOPE = Pattern.compile("layer_\\d+");

    /** {@code encoder/layer_3/output/LayerNorm/gamma} -> {@code encoder.layer.3.output.LayerNorm.weight}. */
    private static String modulePath(String tfPath) {
        String[] parts = tfPath.split("/");
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (last) {
                part = switch (part) {
                    case "kernel", "gamma" -> "weight";
                    case "beta" -> "bias";
                    default -> part;
                };
            } else if (LAYER_SCOPE.matcher(part).matches()) {
                part = "layer." + part.substring("layer_".length());
            }
            if (key.length() > 0) {
                key.append('.');
            }
            key.append(part);
        }
        return key.toString();
    }
}
