package io.electraconvert.testdata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.tfreader.bundle.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.RawTensor;
import org.tensorflow.Tensor;
import org.tensorflow.internal.c_api.TF_CheckpointReader;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint16;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * Proves, bit for bit, that tf-reader returns what TensorFlow's own {@code RestoreV2} kernel returns for every
 * tensor of every fixture checkpoint, and that it lists exactly the entries TensorFlow's {@code CheckpointReader}
 * (the backend of {@code tf.train.list_variables}) lists, with the same dtypes and shapes.
 */
class RestoreV2CrossCheckTest {

    /** TensorFlow {@code DataType} number -> TF Java type class, for the dtypes TF Java 1.1.0 can restore. */
    private static final Map<Integer, Class<? extends TType>> TF_TYPES = Map.of(
            1, TFloat32.class,
            2, TFloat64.class,
            3, TInt32.class,
            4, TUint8.class,
            7, TString.class,
            9, TInt64.class,
            10, TBool.class,
            14, TBfloat16.class,
            17, TUint16.class,
            19, TFloat16.class);

    static Stream<String> checkpoints() {
        return Stream.of(
                "testdata/checkpoints/small",
                "testdata/checkpoints/base",
                "testdata/checkpoints/untied",
                "testdata/checkpoints/sharded",
                "testdata/checkpoints/released",
                "testdata/checkpoints/small-half",
                "testdata/meta-graph",
                "testdata/third-party/keras-bert-tiny/bert_model.ckpt",
                "testdata/third-party/tf-rust-regression-savedmodel/variables",
                "testdata/third-party/tf-rust-regression-model/variables");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void readerMatchesRestoreV2(String relative) {
        Path given = Fixtures.repoRoot().resolve(relative);
        Path prefix = Files.isDirectory(given) ? prefixFromStateFile(given) : given;
        assertTrue(Files.isRegularFile(Paths.get(prefix + ".index")), "no index file for " + prefix);

        try (TfCheckpoint ckpt = TfCheckpoint.open(given)) {
            assertEquals(prefix.toAbsolutePath().normalize(), ckpt.prefix().toAbsolutePath().normalize(),
                    "reader resolved a different prefix");
            List<TensorInfo> ours = ckpt.tensors();
            assertFalse(ours.isEmpty(), "reader lists no tensors");

            // 1. Same entries, dtypes and shapes as TensorFlow's CheckpointReader (tf.train.list_variables).
            Map<String, TfEntry> theirs = listWithTensorFlow(prefix);
            Map<String, TensorInfo> oursByName = new TreeMap<>();
            for (TensorInfo t : ours) {
                assertFalse(t.sliced(), t.name() + " is a sliced (partitioned) entry");
                oursByName.put(t.name(), t);
            }
            assertEquals(ours.size(), oursByName.size(), "duplicate names in the reader's listing");
            assertEquals(List.copyOf(theirs.keySet()), List.copyOf(oursByName.keySet()), "tensor names differ");
            for (TensorInfo t : ours) {
                TfEntry e = theirs.get(t.name());
                assertEquals(e.dtypeCode, t.dtypeCode(), t.name() + ": dtype");
                assertArrayEquals(e.shape, t.shape(), t.name() + ": shape");
            }

            // 2. Every tensor restored by RestoreV2 in one call; compare bytes.
            String[] names = ours.stream().map(TensorInfo::name).toArray(String[]::new);
            String[] slices = new String[names.length];
            Arrays.fill(slices, "");
            List<Class<? extends TType>> dtypes = new ArrayList<>();
            for (TensorInfo t : ours) {
                Class<? extends TType> type = TF_TYPES.get(t.dtypeCode());
                assertNotNull(type, t.name() + ": TF Java cannot restore " + t.dtypeName());
                dtypes.add(type);
            }

            long comparedBytes = 0;
            try (EagerSession session = EagerSession.create()) {
                Ops tf = Ops.create(session);
                Restore restored = tf.train.restore(
                        tf.constant(prefix.toString()),
                        tf.constant(StandardCharsets.UTF_8, names),
                        tf.constant(StandardCharsets.UTF_8, slices),
                        dtypes);
                List<Operand<TType>> outputs = new ArrayList<>();
                restored.forEach(outputs::add);
                assertEquals(ours.size(), outputs.size(), "RestoreV2 output count");

                for (int i = 0; i < ours.size(); i++) {
                    TensorInfo info = ours.get(i);
                    Tensor tensor = outputs.get(i).asTensor();
                    RawTensor raw = tensor.asRawTensor();
                    assertEquals(info.dtypeCode(), raw.dataType().getNumber(), info.name() + ": restored dtype");
                    assertArrayEquals(info.shape(), raw.shape().asArray(), info.name() + ": restored shape");

                    if (info.dtypeCode() == 7) {
                        byte[][] ourStrings = ckpt.readStrings(info);
                        byte[][] tfStrings = strings((TString) tensor);
                        assertEquals(tfStrings.length, ourStrings.length, info.name() + ": string count");
                        for (int k = 0; k < tfStrings.length; k++) {
                            assertArrayEquals(tfStrings[k], ourStrings[k], info.name() + ": string " + k);
                            comparedBytes += tfStrings[k].length;
                        }
                    } else {
                        byte[] tfBytes = new byte[Math.toIntExact(raw.numBytes())];
                        raw.data().read(tfBytes);
                        ByteBuffer buf = ckpt.readBytes(info);
                        byte[] ourBytes = new byte[buf.remaining()];
                        buf.duplicate().get(ourBytes);
                        assertEquals(tfBytes.length, ourBytes.length, info.name() + ": byte length");
                        if (!Arrays.equals(tfBytes, ourBytes)) {
                            fail(info.name() + ": bytes differ from RestoreV2 at offset "
                                    + Arrays.mismatch(tfBytes, ourBytes));
                        }
                        comparedBytes += tfBytes.length;
                    }
                }
            }
            assertTrue(comparedBytes > 0 || ours.stream().allMatch(t -> t.numElements() == 0),
                    "nothing compared");
            if (Boolean.getBoolean("electra.crossCheck.verbose")) {
                System.out.printf("%s: %d tensors, %d bytes identical to RestoreV2%n", relative, ours.size(),
                        comparedBytes);
            }
        }
    }

    private record TfEntry(int dtypeCode, long[] shape) {
    }

    /** Names, dtypes and shapes as TensorFlow's C++ {@code CheckpointReader} sees them, sorted by name. */
    private static Map<String, TfEntry> listWithTensorFlow(Path prefix) {
        Map<String, TfEntry> entries = new TreeMap<>();
        TF_Status status = TF_Status.newStatus();
        TF_CheckpointReader reader = tensorflow.TF_NewCheckpointReader(prefix.toString(), status);
        status.throwExceptionIfNotOK();
        try {
            int n = tensorflow.TF_CheckpointReaderSize(reader);
            for (int i = 0; i < n; i++) {
                BytePointer namePtr = tensorflow.TF_CheckpointReaderGetVariable(reader, i);
                String name = namePtr.getString(StandardCharsets.UTF_8);
                int dtype = tensorflow.TF_CheckpointReaderGetVariableDataType(reader, name);
                int rank = tensorflow.TF_CheckpointReaderGetVariableNumDims(reader, name);
                long[] dims = new long[rank];
                if (rank > 0) {
                    tensorflow.TF_CheckpointReaderGetVariableShape(reader, name, dims, rank, status);
                    status.throwExceptionIfNotOK();
                }
                assertEquals(null, entries.put(name, new TfEntry(dtype, dims)), "TF lists " + name + " twice");
            }
        } finally {
            tensorflow.TF_DeleteCheckpointReader(reader);
            status.delete();
        }
        return entries;
    }

    /** All elements of a string tensor, row-major. */
    private static byte[][] strings(TString tensor) {
        NdArray<byte[]> bytes = tensor.asBytes();
        if (bytes.rank() == 0) {
            return new byte[][] {bytes.getObject()};
        }
        List<byte[]> out = new ArrayList<>();
        bytes.scalars().forEach(s -> out.add(s.getObject()));
        return out.toArray(byte[][]::new);
    }

    private static final Pattern MODEL_PATH = Pattern.compile("^model_checkpoint_path:\\s*\"([^\"]*)\"", Pattern.MULTILINE);

    /** {@code dir/<basename of model_checkpoint_path>}, as the checkpoint state file names it. */
    private static Path prefixFromStateFile(Path dir) {
        String state;
        try {
            state = Files.readString(dir.resolve("checkpoint"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher m = MODEL_PATH.matcher(state);
        assertTrue(m.find(), "no model_checkpoint_path in " + dir.resolve("checkpoint"));
        String path = m.group(1);
        String base = path.substring(path.lastIndexOf('/') + 1);
        return dir.resolve(base);
    }
}
