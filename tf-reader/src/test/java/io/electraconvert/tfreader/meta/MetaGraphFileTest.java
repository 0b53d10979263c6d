package io.electraconvert.tfreader.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.electraconvert.error.BadInputException;
import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.tfreader.proto.AttrValue;
import io.electraconvert.tfreader.proto.DataType;
import io.electraconvert.tfreader.proto.GraphDef;
import io.electraconvert.tfreader.proto.MetaGraphDef;
import io.electraconvert.tfreader.proto.NodeDef;
import io.electraconvert.tfreader.proto.TensorProto;
import io.electraconvert.tfreader.proto.TensorShapeProto;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaGraphFileTest {
    private static final Path META = Fixtures.repoRoot().resolve("testdata/meta-graph/model.ckpt-1.meta");
    private static final String RESHAPE = "electra/encoder/layer_0/attention/self/Reshape";

    @TempDir
    Path tmp;

    /** Every node as TensorFlow 2.21 read it back from the file it wrote, int constants by tf.make_ndarray. */
    @Test
    void readsTheGraphTensorFlowWrote() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(META.resolveSibling("expected.json").toFile()).get("nodes");
        MetaGraphFile graph = MetaGraphFile.read(META);
        assertEquals(expected.size(), graph.nodes().size());
        Set<String> storages = new TreeSet<>();
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = expected.get(i);
            GraphNode node = graph.nodes().get(i);
            assertEquals(e.get("name").asText(), node.name(), "node " + i);
            assertEquals(e.get("op").asText(), node.op(), node.name());
            assertEquals(strings(e.get("inputs")), node.inputs(), node.name());
            assertEquals(strings(e.get("attrs")), List.copyOf(new TreeSet<>(node.attrs().keySet())), node.name());
            if (e.has("value")) {
                assertArrayEquals(longs(e.get("value").get("values")), node.intConstant(),
                        node.name() + " (" + e.get("value").get("storage") + ")");
                storages.add(e.get("value").get("storage").asText());
            }
        }
        assertEquals(new TreeSet<>(List.of("int64_val", "int_val", "tensor_content")), storages, "the fixture's int constants");
    }

    /** What a converter would ask the graph: the attention reshape's target shape [batch, seq, heads, head size]. */
    @Test
    void attentionReshapeShapeIsAConstantInput() {
        MetaGraphFile graph = MetaGraphFile.read(META);
        GraphNode reshape = graph.node(RESHAPE);
        assertEquals("Reshape", reshape.op());
        assertEquals(DataType.DT_FLOAT, reshape.attrs().get("T").getType());
        assertEquals(DataType.DT_INT32, reshape.attrs().get("Tshape").getType());
        GraphNode shape = graph.node(reshape.inputs().get(1));
        assertArrayEquals(new long[] {2, 3, 4, 8}, shape.intConstant());
        assertFalse(graph.find(RESHAPE + "/missing").isPresent());
        BadInputException e = assertThrows(BadInputException.class, () -> graph.node("nope"));
        assertEquals(META + ": the graph has no node named 'nope'", e.getMessage());
        e = assertThrows(BadInputException.class, reshape::intConstant);
        assertEquals(META + ": node '" + RESHAPE + "' is a Reshape node, not a Const with a tensor value", e.getMessage());
    }

    /**
     * The TRAIN graph google-research/electra's code built for testdata's meta-heads (1.2 MB): the attention reshapes'
     * shape constants carry the head counts that its checkpoint alone does not tell (reference.json lists them).
     */
    @Test
    void readsTheHeadCountsOfARealElectraGraph() throws IOException {
        Path dir = Fixtures.checkpoint("meta-heads");
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("reference.json").toFile()).get("meta_graph");
        MetaGraphFile graph = MetaGraphFile.read(dir.resolve(expected.get("file").asText()));
        assertTrue(graph.nodes().size() > 1000, graph.nodes().size() + " nodes");
        assertEquals(6, expected.get("head_shape_nodes").size());
        expected.get("head_shape_nodes").fields().forEachRemaining(e -> {
            assertArrayEquals(longs(e.getValue()), graph.node(e.getKey()).intConstant(), e.getKey());
            String reshape = e.getKey().substring(0, e.getKey().length() - "/shape".length());
            assertEquals(e.getKey(), graph.node(reshape).inputs().get(1), reshape + " takes its shape from the constant");
        });
    }

    @Test
    void refusesWhatIsNotAMetaGraphFileInOneLine() throws Exception {
        Path directory = Files.createDirectory(tmp.resolve("dir.meta"));
        assertOneLine(directory, "meta graph file is a directory, not a file");
        assertOneLine(tmp.resolve("missing.meta"), "meta graph file not found");
        byte[] meta = Files.readAllBytes(META);
        Path truncated = Files.write(tmp.resolve("truncated.meta"), Arrays.copyOf(meta, meta.length / 2));
        assertTrue(message(truncated).startsWith(truncated + ": not a TensorFlow meta graph: "), message(truncated));
        Path garbage = Files.write(tmp.resolve("garbage.meta"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertTrue(message(garbage).startsWith(garbage + ": not a TensorFlow meta graph: "), message(garbage));
        NodeDef node = NodeDef.newBuilder().setName("twice").setOp("NoOp").build();
        Path twice = Files.write(tmp.resolve("twice.meta"), MetaGraphDef.newBuilder()
                .setGraphDef(GraphDef.newBuilder().addNode(node).addNode(node)).build().toByteArray());
        assertOneLine(twice, "the graph has two nodes named 'twice'");
    }

    @Test
    void refusesAFileOverTheCapWithoutReadingIt() throws IOException {
        Path big = tmp.resolve("big.meta");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(MetaGraphFile.MAX_BYTES + 1); // sparse: no disk space, and reading it would take 256 MiB
        }
        assertOneLine(big, "meta graph file is 268435457 bytes; no real one exceeds 268435456, so it is not read");
    }

    /** A FIFO would block a reader forever and a device never end: both are refused before any read. */
    @Test
    void refusesAFifoAndADevice() throws Exception {
        Path fifo = tmp.resolve("fifo.meta");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        } catch (IOException e) {
            mkfifo = null;
        }
        assumeTrue(mkfifo != null && mkfifo.waitFor() == 0, "no mkfifo on this system to make a FIFO with");
        assertOneLine(fifo, "meta graph file is not a regular file (a FIFO, device or socket)");
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero on this system");
        assertOneLine(zero, "meta graph file is not a regular file (a FIFO, device or socket)");
    }

    @Test
    void intConstantFollowsTensorFlowsStorageRules() {
        // fewer values than elements: the last one repeats; none: zeros
        assertArrayEquals(new long[] {1, 9, 9, 9, 9, 9}, constant(DataType.DT_INT32, shape(2, 3), t -> t.addIntVal(1).addIntVal(9)).intConstant());
        assertArrayEquals(new long[] {0, 0, 0}, constant(DataType.DT_INT64, shape(3), t -> { }).intConstant());
        assertArrayEquals(new long[] {-1L << 40}, constant(DataType.DT_INT64, shape(), t -> t.addInt64Val(-1L << 40)).intConstant());
        // tensor_content is little-endian; a 0 dimension gives no elements whatever the others are
        byte[] content = {1, 0, 0, 0, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertArrayEquals(new long[] {1, -2}, constant(DataType.DT_INT32, shape(2), t -> t.setTensorContent(ByteString.copyFrom(content))).intConstant());
        assertArrayEquals(new long[0], constant(DataType.DT_INT32, shape(1L << 40, 0), t -> { }).intConstant());

        assertProblem("has 8 bytes of tensor_content for 3 elements of 4 bytes",
                constant(DataType.DT_INT32, shape(3), t -> t.setTensorContent(ByteString.copyFrom(content))));
        assertProblem("lists 2 values for 1 elements", constant(DataType.DT_INT32, shape(1), t -> t.addIntVal(1).addIntVal(2)));
        assertProblem("holds a DT_FLOAT constant, not int32 or int64", constant(DataType.DT_FLOAT, shape(1), t -> t.addFloatVal(1)));
        assertProblem("has a constant of more than 1048576 elements", constant(DataType.DT_INT32, shape(1L << 40), t -> t.addIntVal(1)));
        assertProblem("has a constant of more than 1048576 elements", constant(DataType.DT_INT32, shape(1 << 11, 1 << 10), t -> { }));
        assertProblem("has a constant with dimension -1", constant(DataType.DT_INT32, shape(-1), t -> { }));
        assertProblem("has a constant of unknown rank",
                constant(DataType.DT_INT32, TensorShapeProto.newBuilder().setUnknownRank(true).build(), t -> { }));
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
        for (long d : dims) {
            b.addDimBuilder().setSize(d);
        }
        return b.build();
    }

    private static GraphNode constant(DataType dtype, TensorShapeProto shape, Consumer<TensorProto.Builder> values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(dtype).setTensorShape(shape);
        values.accept(tensor);
        NodeDef node = NodeDef.newBuilder().setName("c").setOp("Const")
                .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build()).build();
        return new GraphNode(Path.of("x.meta"), node);
    }

    private static void assertProblem(String problem, GraphNode node) {
        BadInputException e = assertThrows(BadInputException.class, node::intConstant);
        assertEquals("x.meta: node 'c' " + problem, e.getMessage());
    }

    private static String message(Path file) {
        BadInputException e = assertThrows(BadInputException.class, () -> MetaGraphFile.read(file));
        assertEquals(file, e.file());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private static void assertOneLine(Path file, String problem) {
        assertEquals(file + ": " + problem, message(file));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
