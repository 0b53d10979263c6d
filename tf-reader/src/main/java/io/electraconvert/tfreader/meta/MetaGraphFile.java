package io.electraconvert.tfreader.meta;

import com.google.protobuf.InvalidProtocolBufferException;
import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import io.electraconvert.tfreader.proto.MetaGraphDef;
import io.electraconvert.tfreader.proto.NodeDef;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The graph of a checkpoint's {@code .meta} file (a {@code MetaGraphDef}, as {@code tf.compat.v1.train.Saver}
 * writes it beside {@code model.ckpt-N.index}): its nodes by name, with op, inputs, device and attributes. Only the
 * graph is decoded; the op list, saver and collections are skipped.
 */
public final class MetaGraphFile {
    /** Larger files are refused: the TRAIN graph of a tiny ELECTRA is 1.2 MB (testdata's meta-heads), and a graph
     * grows with the number of layers, not with the size of the weights. */
    public static final long MAX_BYTES = 256L << 20;

    private final Path file;
    private final Map<String, GraphNode> nodes;

    private MetaGraphFile(Path file, Map<String, GraphNode> nodes) {
        this.file = file;
        this.nodes = nodes;
    }

    /**
     * Reads and parses {@code file}. A missing file, a directory, FIFO or device, or one over {@link #MAX_BYTES} is
     * refused before it is read, as {@link InputFiles} refuses every input file ({@link BadInputException});
     * bytes that are not a {@code MetaGraphDef} and two nodes of one name are a {@link BadInputException}.
     * Every message is one line naming the file.
     */
    public static MetaGraphFile read(Path file) {
        MetaGraphDef graph;
        try {
            graph = MetaGraphDef.parseFrom(InputFiles.readAllBytes(file, "meta graph file", MAX_BYTES));
        } catch (InvalidProtocolBufferException e) {
            throw new BadInputException(file, "not a TensorFlow meta graph: " + e.getMessage());
        }
        Map<String, GraphNode> nodes = new LinkedHashMap<>();
        for (NodeDef node : graph.getGraphDef().getNodeList()) {
            if (nodes.put(node.getName(), new GraphNode(file, node)) != null) {
                throw new BadInputException(file, "the graph has two nodes named '" + node.getName() + "'");
            }
        }
        return new MetaGraphFile(file, Collections.unmodifiableMap(nodes));
    }

    public Path file() {
        return file;
    }

    /** Every node, in the graph's order. */
    public List<GraphNode> nodes() {
        return List.copyOf(nodes.values());
    }

    public Optional<GraphNode> find(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    /** The node called {@code name}, or a one-line {@link BadInputException} naming the file. */
    public GraphNode node(String name) {
        GraphNode node = nodes.get(name);
        if (node == null) {
            throw new BadInputException(file, "the graph has no node named '" + name + "'");
        }
        return node;
    }
}
