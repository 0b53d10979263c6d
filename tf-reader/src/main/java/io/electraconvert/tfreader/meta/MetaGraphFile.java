package io.electraconvert.tfreader.meta;

import com.google.protobuf.InvalidProtocolBufferException;
import io.electraconvert.tfreader.CheckpointFormatException;
import io.electraconvert.tfreader.UnsupportedCheckpointFeatureException;
import io.electraconvert.tfreader.proto.MetaGraphDef;
import io.electraconvert.tfreader.proto.NodeDef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
    /** Larger files are refused: a graph of ELECTRA-large's size is a few MiB. */
    public static final long MAX_BYTES = 256L << 20;

    private final Path file;
    private final Map<String, GraphNode> nodes;

    private MetaGraphFile(Path file, Map<String, GraphNode> nodes) {
        this.file = file;
        this.nodes = nodes;
    }

    /**
     * Reads and parses {@code file}. A missing file, a FIFO or device, one over {@link #MAX_BYTES}, bytes that are
     * not a {@code MetaGraphDef} or two nodes of one name are a one-line {@link io.electraconvert.tfreader.CheckpointException}.
     */
    public static MetaGraphFile read(Path file) {
        MetaGraphDef graph;
        try {
            graph = MetaGraphDef.parseFrom(readCapped(file));
        } catch (InvalidProtocolBufferException e) {
            throw new CheckpointFormatException(file, "not a TensorFlow meta graph: " + e.getMessage());
        }
        Map<String, GraphNode> nodes = new LinkedHashMap<>();
        for (NodeDef node : graph.getGraphDef().getNodeList()) {
            if (nodes.put(node.getName(), new GraphNode(file, node)) != null) {
                throw new CheckpointFormatException(file, "the graph has two nodes named '" + node.getName() + "'");
            }
        }
        return new MetaGraphFile(file, Collections.unmodifiableMap(nodes));
    }

    private static ByteBuffer readCapped(Path file) {
        try {
            // not followed by reads: a FIFO would block and a device (/dev/zero) never end
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new CheckpointFormatException(file, "not a regular file (a directory, FIFO or device)");
            }
            if (attributes.size() > MAX_BYTES) {
                throw tooLarge(file, attributes.size());
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                // one byte more than the cap, so a file that grew since it was measured is caught, not cut short
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), MAX_BYTES) + 1);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer) < 0) {
                        break;
                    }
                }
                if (!buffer.hasRemaining()) {
                    throw tooLarge(file, channel.size());
                }
                return buffer.flip();
            }
        } catch (NoSuchFileException e) {
            throw new CheckpointFormatException(file, "meta graph file not found");
        } catch (IOException e) {
            throw new CheckpointFormatException(file, "cannot read meta graph file: " + e.getMessage(), e);
        }
    }

    private static UnsupportedCheckpointFeatureException tooLarge(Path file, long size) {
        return new UnsupportedCheckpointFeatureException(file, "meta graph file of " + size + " bytes is larger than the "
                + (MAX_BYTES >> 20) + " MiB this reader accepts");
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

    /** The node called {@code name}, or a one-line {@link CheckpointFormatException} naming the file. */
    public GraphNode node(String name) {
        GraphNode node = nodes.get(name);
        if (node == null) {
            throw new CheckpointFormatException(file, "the graph has no node named '" + name + "'");
        }
        return node;
    }
}
