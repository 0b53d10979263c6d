package io.electraconvert.hf.electra;

import io.electraconvert.tfreader.meta.GraphNode;
import io.electraconvert.tfreader.meta.MetaGraphFile;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the graph in a checkpoint's {@code .meta} file shows about one transformer that its variables cannot: the
 * attention head count and the activation. google-research/electra's {@code transpose_for_scores} reshapes the
 * query to {@code [batch, seq, num_attention_heads, head_size]}, so the {@code Const} shape input of
 * {@code <tower>encoder/layer_0/attention/self/Reshape} holds the head count; the ops under
 * {@code <tower>encoder/layer_0/intermediate/dense/} are those of the activation ({@code Erf} for the original's
 * gelu, {@code Relu}, {@code Tanh}, none for linear). Op name scopes can differ from variable scopes (a scope
 * opened twice gets {@code _1}); the encoder's, which these are, match the variables' in the original's graphs.
 */
public final class GraphFacts {
    /** An activation op of {@code modeling.get_activation} -> the name both the original and transformers give it. */
    private static final Map<String, String> ACTIVATION_OPS = Map.of("Erf", "gelu", "Relu", "relu", "Tanh", "tanh");

    /** A value the graph shows, and the node that shows it. */
    public record Fact<T>(T value, String node, String shown) {}

    private GraphFacts() {}

    /** The head count of the transformer under {@code tower} ({@code electra/}, {@code generator/}), if the graph has it. */
    public static Optional<Fact<Integer>> heads(MetaGraphFile graph, String tower) {
        Optional<GraphNode> reshape = graph.find(tower + "encoder/layer_0/attention/self/Reshape");
        if (reshape.isEmpty() || !reshape.get().op().equals("Reshape") || reshape.get().inputs().size() < 2) {
            return Optional.empty();
        }
        String shapeInput = reshape.get().inputs().get(1);
        Optional<GraphNode> shape = graph.find(shapeInput.endsWith(":0") ? shapeInput.substring(0, shapeInput.length() - 2) : shapeInput);
        if (shape.isEmpty() || !shape.get().op().equals("Const")) {
            return Optional.empty();
        }
        long[] dims = shape.get().intConstant();
        if (dims.length != 4 || dims[2] <= 0 || dims[2] > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new Fact<>((int) dims[2], shape.get().name(), Arrays.toString(dims)));
    }

    /** The activation of the transformer under {@code tower}, if the graph shows one unambiguously. */
    public static Optional<Fact<String>> activation(MetaGraphFile graph, String tower) {
        String scope = tower + "encoder/layer_0/intermediate/dense/";
        Optional<GraphNode> biasAdd = graph.find(scope + "BiasAdd");
        if (biasAdd.isEmpty()) {
            return Optional.empty();
        }
        List<GraphNode> ops = graph.nodes().stream()
                .filter(n -> n.name().startsWith(scope) && n.name().indexOf('/', scope.length()) < 0)
                .filter(n -> ACTIVATION_OPS.containsKey(n.op()))
                .toList();
        if (ops.size() > 1) {
            return Optional.empty();
        }
        if (ops.isEmpty()) {
            // linear: nothing under the scope reads the dense output; the next layer's MatMul does
            boolean consumedInScope = graph.nodes().stream().anyMatch(n -> n.name().startsWith(scope)
                    && n.inputs().contains(biasAdd.get().name()));
            return consumedInScope ? Optional.empty()
                    : Optional.of(new Fact<>("linear", biasAdd.get().name(), "no activation op after it"));
        }
        GraphNode op = ops.get(0);
        return Optional.of(new Fact<>(ACTIVATION_OPS.get(op.op()), op.name(), op.op() + " op"));
    }
}
