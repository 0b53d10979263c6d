package io.electraconvert.verify.original;

import io.electraconvert.error.BadInputException;
import io.electraconvert.tfreader.meta.GraphNode;
import io.electraconvert.tfreader.meta.MetaGraphFile;
import io.electraconvert.verify.original.Provenance.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The original model's sizes and switches, each with where it came from: the sizes from the variables' shapes, the
 * attention heads and activation (which no variable shows) from an hparams file the user names, else the
 * checkpoint's own graph ({@code model.ckpt-N.meta}), else an {@code hparams.json} beside the checkpoint, else
 * google-research/electra's defaults ({@code max(1, hidden // 64)} heads, gelu), which are guesses.
 *
 * @param values HF config names ({@code hidden_size}, ...) to values, in config order
 */
public record OriginalConfig(Map<String, Object> values, Map<String, Provenance> provenance) {
    /** {@code modeling.layer_norm}: contrib's {@code layer_norm} with its fixed epsilon. */
    public static final double LAYER_NORM_EPS = 1e-12;
    private static final Pattern LAYER = Pattern.compile("encoder/layer_(\\d+)/attention/self/query/kernel");

    public int vocabSize() {
        return (int) values.get("vocab_size");
    }

    public int embeddingSize() {
        return (int) values.get("embedding_size");
    }

    public int hiddenSize() {
        return (int) values.get("hidden_size");
    }

    public int numHiddenLayers() {
        return (int) values.get("num_hidden_layers");
    }

    public int numAttentionHeads() {
        return (int) values.get("num_attention_heads");
    }

    public int intermediateSize() {
        return (int) values.get("intermediate_size");
    }

    public int maxPositionEmbeddings() {
        return (int) values.get("max_position_embeddings");
    }

    public int typeVocabSize() {
        return (int) values.get("type_vocab_size");
    }

    public String hiddenAct() {
        return (String) values.get("hidden_act");
    }

    /** Outputs of a task head ({@code dense}'s columns); 0 without one. */
    public int numLabels() {
        return (int) values.getOrDefault("num_labels", 0);
    }

    /**
     * The config of {@code network} in {@code checkpoint}. {@code hparams}: a file the user named, which wins over
     * everything but the tensors; an {@code hparams.json} in the checkpoint's folder is read only when the graph
     * does not say.
     */
    public static OriginalConfig of(OriginalCheckpoint checkpoint, OriginalNetwork network, Optional<Path> hparams) {
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, Provenance> p = new LinkedHashMap<>();
        String words = network.embeddings() + "word_embeddings";
        long[] word = shape(checkpoint, words, 2);
        long[] query = shape(checkpoint, network.tower() + "encoder/layer_0/attention/self/query/kernel", 2);
        long[] inner = shape(checkpoint, network.tower() + "encoder/layer_0/intermediate/dense/kernel", 2);
        put(v, p, "vocab_size", (int) word[0], Kind.TENSOR_SHAPES, words);
        put(v, p, "embedding_size", (int) word[1], Kind.TENSOR_SHAPES, words);
        put(v, p, "hidden_size", (int) query[1], Kind.TENSOR_SHAPES, network.tower() + "encoder/layer_0/attention/self/query/kernel");
        put(v, p, "num_hidden_layers", layers(checkpoint, network.tower()), Kind.TENSOR_SHAPES, network.tower() + "encoder/layer_N");
        put(v, p, "intermediate_size", (int) inner[1], Kind.TENSOR_SHAPES, network.tower() + "encoder/layer_0/intermediate/dense/kernel");
        String positions = network.embeddings() + "position_embeddings";
        put(v, p, "max_position_embeddings", (int) shape(checkpoint, positions, 2)[0], Kind.TENSOR_SHAPES, positions);
        String types = network.embeddings() + "token_type_embeddings";
        put(v, p, "type_vocab_size", (int) shape(checkpoint, types, 2)[0], Kind.TENSOR_SHAPES, types);
        if (network.head() != OriginalNetwork.Head.NONE && network.head() != OriginalNetwork.Head.DISCRIMINATOR
                && network.head() != OriginalNetwork.Head.MASKED_LM) {
            String dense = network.headScope() + "dense/kernel";
            if (network.head() == OriginalNetwork.Head.SQUAD) {
                // start logits from dense, end logits from dense_1: the two outputs HF's qa_outputs computes
                String end = network.headScope() + "dense_1/kernel";
                put(v, p, "num_labels", (int) (shape(checkpoint, dense, 2)[1] + shape(checkpoint, end, 2)[1]),
                        Kind.TENSOR_SHAPES, dense + " + " + end);
            } else {
                put(v, p, "num_labels", (int) shape(checkpoint, dense, 2)[1], Kind.TENSOR_SHAPES, dense);
            }
        }
        headsAndActivation(checkpoint, network, hparams, (int) query[1], v, p);
        put(v, p, "layer_norm_eps", LAYER_NORM_EPS, Kind.ORIGINAL_CODE, "modeling.layer_norm (contrib layer_norm's epsilon)");
        return new OriginalConfig(v, p);
    }

    private static void headsAndActivation(OriginalCheckpoint checkpoint, OriginalNetwork network, Optional<Path> given,
            int hidden, Map<String, Object> v, Map<String, Provenance> p) {
        boolean generator = network.tower().equals("generator/");
        if (given.isPresent()) {
            fromHparams(OriginalHparams.read(given.get()), generator, hidden, v, p);
            return;
        }
        Path prefix = checkpoint.checkpoint().prefix();
        Path meta = prefix.resolveSibling(prefix.getFileName() + ".meta");
        if (Files.exists(meta)) {
            MetaGraphFile graph = MetaGraphFile.read(meta);
            String reshape = network.tower() + "encoder/layer_0/attention/self/Reshape/shape";
            Optional<GraphNode> node = graph.find(reshape);
            if (node.isPresent()) {
                long[] dims = node.get().intConstant();
                if (dims.length != 4 || dims[2] <= 0 || dims[2] * dims[3] != hidden) {
                    throw new BadInputException(meta, reshape + " is " + java.util.Arrays.toString(dims)
                            + ", not [batch, seq, heads, head_size] for hidden size " + hidden);
                }
                put(v, p, "num_attention_heads", (int) dims[2], Kind.META_GRAPH, meta.getFileName() + ": " + reshape);
                put(v, p, "hidden_act", activation(graph, network.tower()), Kind.META_GRAPH, meta.getFileName() + ": ops of "
                        + network.tower() + "encoder/layer_0/intermediate/dense");
                return;
            }
        }
        Path beside = prefix.resolveSibling("hparams.json");
        if (Files.exists(beside)) {
            fromHparams(OriginalHparams.read(beside), generator, hidden, v, p);
            return;
        }
        put(v, p, "num_attention_heads", Math.max(1, hidden / 64), Kind.RULE, "max(1, hidden // 64), get_bert_config's default");
        put(v, p, "hidden_act", "gelu", Kind.RULE, "BertConfig's default");
    }

    private static void fromHparams(OriginalHparams hparams, boolean generator, int hidden, Map<String, Object> v,
            Map<String, Provenance> p) {
        if (hparams.hidden(generator) != hidden) {
            throw new BadInputException(hparams.file(), "describes a " + (generator ? "generator" : "transformer")
                    + " of hidden size " + hparams.hidden(generator) + ", but the checkpoint's is " + hidden);
        }
        String how = generator ? "get_generator_config" : "get_bert_config";
        put(v, p, "num_attention_heads", hparams.heads(generator), Kind.HPARAMS_FILE, hparams.file() + " (" + how + ")");
        put(v, p, "hidden_act", hparams.activation(), Kind.HPARAMS_FILE, hparams.file().toString());
    }

    /** The activation the graph applies in the first layer's intermediate dense layer (gelu is built from Erf). */
    private static String activation(MetaGraphFile graph, String tower) {
        String scope = tower + "encoder/layer_0/intermediate/dense/";
        for (GraphNode n : graph.nodes()) {
            if (n.name().startsWith(scope) && !n.name().contains("/Initializer/")) {
                switch (n.op()) {
                    case "Erf" -> { return "gelu"; }
                    case "Relu" -> { return "relu"; }
                    case "Tanh" -> { return "tanh"; }
                    default -> { }
                }
            }
        }
        return "linear";
    }

    private static int layers(OriginalCheckpoint checkpoint, String tower) {
        TreeSet<Integer> found = new TreeSet<>();
        for (var t : checkpoint.checkpoint().tensors()) {
            if (t.name().startsWith(tower)) {
                Matcher m = LAYER.matcher(t.name().substring(tower.length()));
                if (m.matches() && m.group(1).length() < 7) {
                    found.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        if (found.isEmpty() || found.last() != found.size() - 1) {
            throw new BadInputException(checkpoint.indexFile(), tower + "encoder layers are not numbered 0..n-1: " + found);
        }
        return found.size();
    }

    private static long[] shape(OriginalCheckpoint checkpoint, String name, int rank) {
        long[] shape = checkpoint.shape(name).orElseThrow(() -> new BadInputException(checkpoint.indexFile(),
                "the original model needs variable '" + name + "', which the checkpoint does not have"));
        if (shape.length != rank || java.util.Arrays.stream(shape).anyMatch(d -> d <= 0 || d > Integer.MAX_VALUE)) {
            throw new BadInputException(checkpoint.indexFile(), "variable '" + name + "' has shape "
                    + java.util.Arrays.toString(shape) + ", not a " + rank + "-d size");
        }
        return shape;
    }

    private static void put(Map<String, Object> v, Map<String, Provenance> p, String key, Object value, Kind kind, String detail) {
        v.put(key, value);
        p.put(key, new Provenance(kind, detail));
    }
}
