package io.electraconvert.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.tfreader.meta.GraphNode;
import io.electraconvert.tfreader.meta.MetaGraphFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * tf-reader's trimmed graph protos against TensorFlow Java's complete ones on the .meta file TensorFlow wrote: the
 * same nodes, inputs and devices, and every attribute value the same bytes. TensorFlow Java's classes were
 * generated for protobuf 3.21; parsing with them here also shows they work on the protobuf-java 4.x runtime the
 * project now uses.
 */
class MetaGraphCrossCheckTest {
    @Test
    void trimmedProtosReadWhatTensorFlowJavaReads() throws Exception {
        Path meta = Fixtures.repoRoot().resolve("testdata/meta-graph/model.ckpt-1.meta");
        MetaGraphDef theirs = MetaGraphDef.parseFrom(Files.readAllBytes(meta));
        assertTrue(theirs.getMetaInfoDef().getTensorflowVersion().startsWith("2.21"), theirs.getMetaInfoDef().toString());
        List<GraphNode> ours = MetaGraphFile.read(meta).nodes();
        assertEquals(theirs.getGraphDef().getNodeCount(), ours.size());
        for (int i = 0; i < ours.size(); i++) {
            NodeDef expected = theirs.getGraphDef().getNode(i);
            GraphNode node = ours.get(i);
            assertEquals(expected.getName(), node.name());
            assertEquals(expected.getOp(), node.op(), node.name());
            assertEquals(expected.getInputList(), node.inputs(), node.name());
            assertEquals(expected.getDevice(), node.device(), node.name());
            assertEquals(expected.getAttrMap().keySet(), node.attrs().keySet(), node.name());
            for (Map.Entry<String, org.tensorflow.proto.AttrValue> attr : expected.getAttrMap().entrySet()) {
                assertEquals(attr.getValue().toByteString(), node.attrs().get(attr.getKey()).toByteString(),
                        node.name() + " @" + attr.getKey());
            }
        }
    }
}
