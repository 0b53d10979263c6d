package io.electraconvert.hf.electra;

import io.electraconvert.error.BadInputException;
import io.electraconvert.error.UnsupportedInputException;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.schema.TfLayout;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an ELECTRA pretraining checkpoint holds, recognised from variable names and shapes alone
 * (google-research/electra {@code run_pretraining.py}, {@code model/modeling.py}): which networks are present,
 * whose embeddings each uses, and the HF config their shapes imply. Heads follow google-research/electra's rule
 * {@code max(1, hidden // 64)}; {@link Hparams} may override them.
 */
public final class ElectraCheckpointModel {
    /** Embeddings scope shared by both networks (tied generator embeddings, the default). */
    public static final String SHARED_EMBEDDINGS = "electra/embeddings/";
    /** The generator's own embeddings when {@code untied_generator_embeddings} was set. */
    public static final String UNTIED_GENERATOR_EMBEDDINGS = "generator/embeddings/";
    private static final Pattern LAYER = Pattern.compile("^encoder/layer_(\\d+)/");

    private final TensorShapes shapes;
    private final Map<ElectraNetwork, NetworkLayout> networks;

    private ElectraCheckpointModel(TensorShapes shapes, Map<ElectraNetwork, NetworkLayout> networks) {
        this.shapes = shapes;
        this.networks = networks;
    }

    public static ElectraCheckpointModel recognise(TensorShapes shapes) {
        Map<ElectraNetwork, NetworkLayout> networks = new EnumMap<>(ElectraNetwork.class);
        for (ElectraNetwork network : ElectraNetwork.values()) {
            if (present(shapes, network)) {
                networks.put(network, infer(shapes, network));
            }
        }
        return new ElectraCheckpointModel(shapes, networks);
    }

    /** A network is present when its tower's first attention layer and its prediction head are. */
    private static boolean present(TensorShapes shapes, ElectraNetwork network) {
        String head = network == ElectraNetwork.DISCRIMINATOR ? "discriminator_predictions/dense_1/kernel" : "generator_predictions/output_bias";
        return shapes.has(network.towerScope() + "encoder/layer_0/attention/self/query/kernel") && shapes.has(head);
    }

    public boolean isElectra() {
        return !networks.isEmpty();
    }

    public List<ElectraNetwork> networks() {
        return List.copyOf(networks.keySet());
    }

    /** The network's layout, or a one-line error saying what the checkpoint has instead. */
    public NetworkLayout require(ElectraNetwork network) {
        NetworkLayout layout = networks.get(network);
        if (layout != null) {
            return layout;
        }
        if (networks.isEmpty()) {
            throw new UnsupportedInputException(shapes.source(), "not an ELECTRA pretraining checkpoint: found neither "
                    + "a discriminator (electra/encoder/* + discriminator_predictions/*) nor a generator "
                    + "(generator/encoder/* + generator_predictions/*)");
        }
        throw new UnsupportedInputException(shapes.source(), "checkpoint has no " + network.cliName() + " ("
                + network.towerScope() + "encoder/* and " + network.headScope() + "* are absent); it has: "
                + String.join(", ", networks.keySet().stream().map(ElectraNetwork::cliName).toList()));
    }

    private static NetworkLayout infer(TensorShapes shapes, ElectraNetwork network) {
        String tower = network.towerScope();
        String embeddings = network == ElectraNetwork.GENERATOR && shapes.has(UNTIED_GENERATOR_EMBEDDINGS + "word_embeddings")
                ? UNTIED_GENERATOR_EMBEDDINGS : SHARED_EMBEDDINGS;
        int vocab = shapes.dim(embeddings + "word_embeddings", 2, 0);
        int embeddingSize = shapes.dim(embeddings + "word_embeddings", 2, 1);
        int positions = shapes.dim(embeddings + "position_embeddings", 2, 0);
        int typeVocab = shapes.dim(embeddings + "token_type_embeddings", 2, 0);
        String layer0 = tower + "encoder/layer_0/";
        int hidden = shapes.dim(layer0 + "attention/self/query/kernel", 2, 1);
        int intermediate = shapes.dim(layer0 + "intermediate/dense/kernel", 2, 1);
        int layers = countLayers(shapes, tower);
        ElectraConfig config = ElectraConfig.ofSizes(List.of(network.hfArchitecture()), vocab, embeddingSize, hidden, layers,
                Math.max(1, hidden / 64), intermediate, "gelu", positions, typeVocab);
        return new NetworkLayout(network, new TfLayout(embeddings, tower, network.headScope()), config);
    }

    private static int countLayers(TensorShapes shapes, String tower) {
        TreeSet<Integer> indexes = new TreeSet<>();
        for (String name : shapes.names()) {
            if (name.startsWith(tower)) {
                Matcher m = LAYER.matcher(name.substring(tower.length()));
                if (m.find()) {
                    // a real index has a few digits; anything that does not fit an int is no layer of a model
                    if (m.group(1).length() > 9) {
                        throw new BadInputException(shapes.source(), "variable '" + name
                                + "' names encoder layer " + m.group(1) + ", not a layer index");
                    }
                    indexes.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        if (indexes.last() != indexes.size() - 1) {
            throw new BadInputException(shapes.source(), tower + "encoder layers are not numbered 0.."
                    + (indexes.size() - 1) + ": found " + indexes);
        }
        return indexes.size();
    }
}
