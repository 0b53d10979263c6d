package io.electraconvert.hf.formats.h5;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.schema.ElectraSchema;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.weights.ProgressCounter;
import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.tensor.HalfPrecision;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.StringData;
import io.jhdf.object.datatype.VariableLength;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden files written by transformers 4.57.6's TF classes: read them, write their weights back with
 * {@link KerasH5Format}, and require the same file path for path, attribute for attribute (names, values, HDF5
 * string types), dataset dtypes and shapes, and bit-identical values.
 */
class KerasH5GoldenTest {
    @TempDir
    Path tmp;

    static Path golden(String name) {
        return Fixtures.hfTfGolden(name).resolve("tf_model.h5");
    }

    /** The golden file's tensors as the converter hands them to a format: HF keys, PyTorch orientation. */
    static List<OutputTensor> tensorsOf(KerasH5File file) {
        List<OutputTensor> out = new ArrayList<>();
        for (KerasH5File.Entry e : file.tensors().values()) {
            float[] values = file.readFloats(e.hfKey());
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            out.add(new OutputTensor(e.hfKey(), e.shape(), b::duplicate));
        }
        return out;
    }

    private Path roundTrip(String name, DType dtype, long[] progressBytes) throws IOException {
        Path out = tmp.resolve(name + "-" + dtype.torchName() + ".h5");
        try (KerasH5File g = KerasH5File.open(golden(name))) {
            List<OutputTensor> tensors = tensorsOf(g);
            ProgressCounter progress = new ProgressCounter(0, (done, total, t) -> progressBytes[0] = done);
            WeightsFormats.parse("tf").get(0).writeFile(out, tensors, dtype, progress);
            assertEquals(tensors.stream().mapToLong(t -> t.numElements() * dtype.byteSize()).sum(), progressBytes[0]);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pretraining", "maskedlm"})
    void rewrittenGoldenIsTheGoldenFile(String name) throws IOException {
        Path ours = roundTrip(name, DType.FLOAT32, new long[1]);
        try (HdfFile expected = new HdfFile(golden(name)); HdfFile actual = new HdfFile(ours)) {
            List<String> diffs = new ArrayList<>();
            compare(expected, actual, diffs, true);
            assertTrue(diffs.isEmpty(), String.join("\n", diffs));
        }
    }

    /** The HDF5 tools (apt hdf5-tools): every group, attribute, type and value, as the C library reads them. */
    @ParameterizedTest
    @ValueSource(strings = {"pretraining", "maskedlm"})
    void rewrittenGoldenDumpsLikeTheGoldenFile(String name) throws IOException {
        assumeTrue(Files.isExecutable(H5DUMP), "no " + H5DUMP + " (Debian package hdf5-tools, which .ci/run installs)");
        Path ours = roundTrip(name, DType.FLOAT32, new long[1]);
        assertEquals(h5dump(golden(name)), h5dump(ours), "h5dump");
    }

    /** h5py's view: every path, attribute value and HDF5 string type, and the low-level types, as layout.txt has them. */
    @ParameterizedTest
    @ValueSource(strings = {"pretraining", "maskedlm"})
    void rewrittenGoldenHasTheGoldenLayoutInH5py(String name) throws IOException {
        H5py.assumeAvailable();
        Path ours = roundTrip(name, DType.FLOAT32, new long[1]);
        Path goldenDir = golden(name).getParent();
        String oursLayout = H5py.layout(ours, false);
        // the low bound is our file's (jHDF writes v1.8 structures); the high bound is whatever HDF5 h5py links
        assertTrue(oursLayout.contains("userblock_size=0 libver=('v108', "), oursLayout.lines().limit(3).toList().toString());
        assertEquals(H5py.withoutFileFormatLine(Files.readString(goldenDir.resolve("layout.txt"))),
                H5py.withoutFileFormatLine(oursLayout), "h5py layout vs layout.txt");
        assertEquals(H5py.withoutFileFormatLine(H5py.layout(golden(name), true)),
                H5py.withoutFileFormatLine(H5py.layout(ours, true)), "h5py low-level types");
    }

    @Test
    void float16IsIeeeHalfAndBfloat16IsRoundedFloat32() throws IOException {
        long[] progress16 = new long[1];
        Path f16 = roundTrip("pretraining", DType.FLOAT16, progress16);
        Path bf16 = roundTrip("pretraining", DType.BFLOAT16, new long[1]);
        try (KerasH5File g = KerasH5File.open(golden("pretraining"));
             KerasH5File h = KerasH5File.open(f16); KerasH5File b = KerasH5File.open(bf16);
             HdfFile raw16 = new HdfFile(f16); HdfFile rawB = new HdfFile(bf16)) {
            assertEquals(g.tensors().keySet(), h.tensors().keySet());
            for (String key : g.tensors().keySet()) {
                float[] ref = g.readFloats(key);
                float[] half = h.readFloats(key);
                float[] brain = b.readFloats(key);
                for (int i = 0; i < ref.length; i++) {
                    assertEquals(HalfPrecision.float16ToFloat(HalfPrecision.floatToFloat16(ref[i])), half[i], key);
                    assertEquals(Float.intBitsToFloat((HalfPrecision.floatToBfloat16(ref[i]) & 0xffff) << 16), brain[i], key);
                }
                FloatingPoint t16 = (FloatingPoint) raw16.getDatasetByPath(h.entry(key).datasetPath()).getDataType();
                assertEquals(2, t16.getSize());
                assertEquals(ByteOrder.LITTLE_ENDIAN, t16.getByteOrder());
                assertEquals(4, rawB.getDatasetByPath(b.entry(key).datasetPath()).getDataType().getSize());
            }
        }
    }

    @Test
    void float16DatasetsAreFloat16InH5py() throws IOException {
        H5py.assumeAvailable();
        Path f16 = roundTrip("pretraining", DType.FLOAT16, new long[1]);
        String deep = H5py.layout(f16, true);
        assertTrue(deep.contains("dtype=float16"), deep);
        assertFalse(deep.contains("dtype=float32"), deep);
    }

    /** The file written, its values by HF key, and the weight names of its first layer (electra). */
    private record ManyWeights(Path out, Map<String, float[]> values, List<String> expectedNames) {}

    /** 48 layers of width 2: ~780 names of ~90 bytes, past Keras' 64512-byte attribute limit. */
    private ManyWeights writeManyWeights() throws IOException {
        List<OutputTensor> tensors = new ArrayList<>();
        // the schema's order, as a conversion writes them
        Map<String, long[]> shapes = ElectraSchema.shapes(ElectraConfig.ofSizes(List.of("ElectraForPreTraining"), 5, 2, 2,
                48, 1, 2, "gelu", 4, 2), HeadKind.PRETRAINING);
        float[] counter = {0};
        Map<String, float[]> values = new TreeMap<>();
        shapes.forEach((k, s) -> {
            int n = (int) Arrays.stream(s).reduce(1, Math::multiplyExact);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = counter[0]++;
            }
            values.put(k, v);
            ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            tensors.add(new OutputTensor(k, s, b::duplicate));
        });
        Path out = tmp.resolve("large.h5");
        KerasH5Format.FORMAT.writeFile(out, tensors, DType.FLOAT32, ProgressCounter.none());

        KerasLayout layout = KerasLayout.forKeys(List.copyOf(shapes.keySet()));
        List<String> expectedNames = layout.layers().get(0).weightNames();
        return new ManyWeights(out, values, expectedNames);
    }

    @Test
    void manyWeightsAreChunkedLikeKeras() throws IOException {
        ManyWeights w = writeManyWeights();
        Path out = w.out();
        Map<String, float[]> values = w.values();
        List<String> expectedNames = w.expectedNames();
        try (HdfFile raw = new HdfFile(out)) {
            Node electra = raw.getChild("electra");
            assertNull(electra.getAttribute("weight_names"));
            Attribute c0 = electra.getAttribute("weight_names0");
            Attribute c1 = electra.getAttribute("weight_names1");
            assertNull(electra.getAttribute("weight_names2"));
            StringData fixed = (StringData) c0.getDataType();
            int width = expectedNames.stream().mapToInt(String::length).max().orElseThrow();
            assertEquals(width, fixed.getSize());
            assertEquals(StringData.PaddingType.NULL_PADDED, fixed.getPaddingType());
            // np.array_split: first chunk gets the odd element
            assertEquals((expectedNames.size() + 1) / 2, c0.getDimensions()[0]);
            assertEquals(expectedNames.size() / 2, c1.getDimensions()[0]);
            assertEquals(expectedNames, KerasH5File.strings(electra, "weight_names"));
            assertTrue(c0.getDimensions()[0] * width <= KerasH5Writer.HDF5_OBJECT_HEADER_LIMIT);
        }
        try (KerasH5File f = KerasH5File.open(out)) {
            assertEquals(values.keySet(), f.tensors().keySet());
            values.forEach((k, v) -> assertArrayEquals(v, f.readFloats(k), k));
        }
    }

    @Test
    void manyWeightsChunksAreWhatH5pyAndTheHfLoaderRead() throws IOException {
        H5py.assumeAvailable();
        ManyWeights w = writeManyWeights();
        Path out = w.out();
        List<String> expectedNames = w.expectedNames();
        String layoutText = H5py.layout(out, true);
        int width = expectedNames.stream().mapToInt(String::length).max().orElseThrow();
        // numpy |S<width> as h5py writes it: fixed-length, ASCII, null-padded
        assertTrue(layoutText.contains("@weight_names0 h5type=string(fixed" + width + ",ascii)"), layoutText);
        assertTrue(layoutText.contains("@weight_names0 lowlevel: class=3 size=" + width + " vlen=False cset=0 strpad=1"), layoutText);
        String loaded = H5py.run("emulate_hf_loader.py", out.toString());
        assertEquals("ok " + w.values().size(), loaded.strip());
    }

    @Test
    void corruptOrTruncatedFilesAreOneLineErrors() throws IOException {
        byte[] bytes = Files.readAllBytes(golden("pretraining"));
        Path truncated = tmp.resolve("truncated.h5");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 3));
        Path garbage = tmp.resolve("garbage.h5");
        Files.writeString(garbage, "not an hdf5 file at all");
        Path empty = tmp.resolve("empty.h5");
        Files.write(empty, new byte[0]);
        for (Path p : List.of(truncated, garbage, empty, tmp.resolve("missing.h5"))) {
            BadInputException e = assertThrows(BadInputException.class, () -> {
                try (KerasH5File f = KerasH5File.open(p)) {
                    for (String k : f.tensors().keySet()) {
                        f.readFloats(k);
                    }
                }
            }, p.toString());
            assertEquals(p, e.file());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    private static final Path H5DUMP = Path.of("/usr/bin/h5dump");

    /** {@code h5dump FILE} without its first line (which names the file). */
    private static String h5dump(Path file) throws IOException {
        Process p = new ProcessBuilder(H5DUMP.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            assertEquals(0, p.waitFor(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out.substring(out.indexOf('\n') + 1);
    }

    // ---- structural comparison with jHDF's reader ----

    static void compare(Node expected, Node actual, List<String> diffs, boolean values) {
        String path = expected.getPath();
        if (expected.isGroup() != actual.isGroup()) {
            diffs.add(path + ": group vs dataset");
            return;
        }
        compareAttributes(path, expected.getAttributes(), actual.getAttributes(), diffs);
        if (expected instanceof Group eg) {
            Group ag = (Group) actual;
            if (!new TreeMap<>(eg.getChildren()).keySet().equals(new TreeMap<>(ag.getChildren()).keySet())) {
                diffs.add(path + ": children " + new TreeMap<>(eg.getChildren()).keySet() + " vs " + new TreeMap<>(ag.getChildren()).keySet());
                return;
            }
            for (String child : new TreeMap<>(eg.getChildren()).keySet()) {
                compare(eg.getChild(child), ag.getChild(child), diffs, values);
            }
        } else {
            Dataset ed = (Dataset) expected;
            Dataset ad = (Dataset) actual;
            if (!Arrays.equals(ed.getDimensionsAsLong(), ad.getDimensionsAsLong())) {
                diffs.add(path + ": shape " + Arrays.toString(ed.getDimensionsAsLong()) + " vs " + Arrays.toString(ad.getDimensionsAsLong()));
            }
            String et = describe(ed.getDataType());
            String at = describe(ad.getDataType());
            if (!et.equals(at)) {
                diffs.add(path + ": dtype " + et + " vs " + at);
            }
            if (ed.getDataLayout() != ad.getDataLayout()) {
                diffs.add(path + ": layout " + ed.getDataLayout() + " vs " + ad.getDataLayout());
            }
            if (values) {
                float[] ev = (float[]) ed.getDataFlat();
                float[] av = (float[]) ad.getDataFlat();
                for (int i = 0; i < ev.length; i++) {
                    if (Float.floatToRawIntBits(ev[i]) != Float.floatToRawIntBits(av[i])) {
                        diffs.add(path + ": value " + i + " " + ev[i] + " vs " + av[i]);
                        break;
                    }
                }
            }
        }
    }

    private static void compareAttributes(String path, Map<String, Attribute> expected, Map<String, Attribute> actual, List<String> diffs) {
        if (!new TreeMap<>(expected).keySet().equals(new TreeMap<>(actual).keySet())) {
            diffs.add(path + ": attributes " + new TreeMap<>(expected).keySet() + " vs " + new TreeMap<>(actual).keySet());
            return;
        }
        for (String name : new TreeMap<>(expected).keySet()) {
            Attribute e = expected.get(name);
            Attribute a = actual.get(name);
            String where = path + " @" + name;
            if (!describe(e.getDataType()).equals(describe(a.getDataType()))) {
                diffs.add(where + ": type " + describe(e.getDataType()) + " vs " + describe(a.getDataType()));
            }
            if (!Arrays.equals(e.getDimensionsAsLong(), a.getDimensionsAsLong()) || e.isScalar() != a.isScalar()) {
                diffs.add(where + ": shape " + Arrays.toString(e.getDimensionsAsLong()) + " vs " + Arrays.toString(a.getDimensionsAsLong()));
            }
            if (!e.isEmpty() && !deepToString(e.getData()).equals(deepToString(a.getData()))) {
                diffs.add(where + ": value " + deepToString(e.getData()) + " vs " + deepToString(a.getData()));
            }
        }
    }

    static String describe(DataType t) {
        if (t instanceof VariableLength v) {
            return "vlen(string=" + v.isVariableLengthString() + "," + v.getEncoding() + "," + v.getPaddingType()
                    + ",base=" + describe(v.getParent()) + ")";
        }
        if (t instanceof StringData s) {
            return "fixed(" + s.getSize() + "," + s.getCharset() + "," + s.getPaddingType() + ")";
        }
        if (t instanceof FloatingPoint f) {
            return "float(" + f.getSize() + "," + f.getByteOrder() + ",bias=" + f.getExponentBias() + ")";
        }
        return t.getClass().getSimpleName() + "(" + t.getSize() + ")";
    }

    private static String deepToString(Object o) {
        if (o == null || !o.getClass().isArray()) {
            return String.valueOf(o);
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < Array.getLength(o); i++) {
            parts.add(deepToString(Array.get(o, i)));
        }
        return parts.toString();
    }
}
