package io.electraconvert.tfreader;

import io.electraconvert.tfreader.bundle.TensorInfo;
import io.electraconvert.tensor.DType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checkpoints written by TensorFlow for other projects: the reader must read every entry, checksums verified. */
class ThirdPartyCheckpointTest {

    @Test
    void kerasBertTinyReadsEveryTensorWithChecksums() {
        try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.thirdParty("keras-bert-tiny/bert_model.ckpt"))) {
            assertEquals(1, ckpt.numShards());
            assertEquals(139, ckpt.tensors().size()); // plus the header entry, which is not a tensor
            for (TensorInfo t : ckpt.tensors()) {
                assertEquals(t.size(), ckpt.readBytes(t).remaining(), t.name());
            }
            TensorInfo word = ckpt.info("bert/embeddings/word_embeddings");
            assertArrayEquals(new long[] {15, 4}, word.shape());
            assertEquals(DType.FLOAT32, word.knownDtype().orElseThrow());
            TensorInfo step = ckpt.info("global_step");
            assertEquals(DType.INT64, step.knownDtype().orElseThrow());
            assertEquals(0, step.rank());
            assertEquals(8412, step.offset(), "unaligned int64 offset as in the notes");
            assertTrue(ckpt.find("bert/encoder/layer_1/attention/self/query/kernel/adam_m").isPresent());
        }
    }

    @Test
    void tfRustSavedModelVariablesIncludingStringGraph() {
        Path dir = Fixtures.thirdParty("tf-rust-regression-savedmodel");
        try (TfCheckpoint ckpt = TfCheckpoint.open(dir)) {
            TensorInfo graph = ckpt.info("_CHECKPOINTABLE_OBJECT_GRAPH");
            assertEquals(DType.STRING, graph.knownDtype().orElseThrow());
            byte[][] strings = ckpt.readStrings(graph);
            assertEquals(1, strings.length);
            assertEquals(531, strings[0].length);
            for (TensorInfo t : ckpt.tensors()) {
                if (t != graph) {
                    ckpt.readBytes(t);
                }
            }
            List<String> names = ckpt.tensors().stream().map(TensorInfo::name).toList();
            assertTrue(names.contains("w/.ATTRIBUTES/VARIABLE_VALUE"), names.toString());
            assertEquals(0, ckpt.info("w/.ATTRIBUTES/VARIABLE_VALUE").offset(), "data order differs from key order");
        }
    }

    @Test
    void smallestBundle() {
        try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.thirdParty("tf-rust-regression-model/variables"))) {
            assertEquals(List.of("b", "w"), ckpt.tensors().stream().map(TensorInfo::name).toList());
            assertEquals(1, ckpt.readFloats("w").length);
            assertEquals(ByteOrder.LITTLE_ENDIAN, ckpt.readBytes(ckpt.info("b")).order());
        }
    }

    @Test
    void stringTensorIsNotReadAsNumbers() {
        try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.thirdParty("tf-rust-regression-savedmodel"))) {
            assertThrows(IllegalArgumentException.class, () -> ckpt.readBytes(ckpt.info("_CHECKPOINTABLE_OBJECT_GRAPH")));
            assertTrue(new String(ckpt.readStrings(ckpt.info("_CHECKPOINTABLE_OBJECT_GRAPH"))[0], StandardCharsets.ISO_8859_1).length() > 0);
        }
    }

    @Test
    void protoDecodingNeedsNoTensorFlowJava() {
        // the bundle protos are generated into tf-reader from src/main/proto: TensorFlow Java (its 1,540 generated
        // classes and its native loader) is not on the classpath of the reader, nor of anything that depends on it
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.tensorflow.proto.BundleEntryProto"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.bytedeco.javacpp.Loader"));
        assertEquals("io.electraconvert.tfreader.proto", io.electraconvert.tfreader.proto.BundleEntryProto.class.getPackageName());
    }
}
