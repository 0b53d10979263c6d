package io.electraconvert.hf.formats.pytorch;

import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.hf.weights.ProgressCounter;
import io.electraconvert.testsupport.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PytorchBinFileTest {
    private static final Path REAL = Fixtures.resource("/pytorch/real/pytorch_model.bin");

    @TempDir
    Path tmp;

    @Test
    void readsAStateDictWrittenByTorch() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(REAL.resolveSibling("expected.json").toFile());
        try (PytorchBinFile f = PytorchBinFile.open(REAL)) {
            assertEquals("pytorch_model", f.archiveName());
            List<String> names = new ArrayList<>();
            expected.fieldNames().forEachRemaining(names::add);
            assertEquals(names, List.copyOf(f.tensors().keySet()));
            for (String name : names) {
                JsonNode e = expected.get(name);
                PytorchBinFile.Tensor t = f.tensor(name);
                assertEquals(e.get("dtype").asText(), t.dtype().torchName(), name);
                long[] shape = new long[e.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = e.get("shape").get(i).asLong();
                }
                assertArrayEquals(shape, t.shape(), name);
                JsonNode values = e.get("values");
                if (t.dtype().isFloatingPoint()) {
                    float[] got = f.readFloats(name);
                    assertEquals(values.size(), got.length, name);
                    for (int i = 0; i < got.length; i++) {
                        assertEquals((float) values.get(i).asDouble(), got[i], 0f, name + "[" + i + "]");
                    }
                } else {
                    ByteBuffer bytes = f.readBytes(name);
                    for (int i = 0; i < values.size(); i++) {
                        assertEquals(values.get(i).asLong(), bytes.getLong(8 * i), name + "[" + i + "]");
                    }
                }
            }
            // storage groups as torch reports them: the tied pair and the two views share one storage each
            for (String a : names) {
                for (String b : names) {
                    boolean same = expected.get(a).get("storage_group").asInt() == expected.get(b).get("storage_group").asInt();
                    assertEquals(same, f.sharesStorage(a, b), a + " / " + b);
                }
            }
            assertTrue(f.sharesStorage("embed.weight", "head.weight"));
            assertTrue(f.sharesStorage("shared.row", "shared.transposed"));
            assertEquals(12, f.tensor("shared.row").storageOffset());
            assertArrayEquals(new long[] {1, 6}, f.tensor("shared.transposed").stride());
        }
    }

    /** A zip in torch's layout around a hand-made data.pkl. */
    private Path archive(String fileName, byte[] pickle, Map<String, byte[]> storages) throws Exception {
        Path file = tmp.resolve(fileName);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            TorchZipWriter zip = new TorchZipWriter(ch, "archive");
            zip.writeRecord("data.pkl", pickle);
            zip.writeRecord("byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, byte[]> s : storages.entrySet()) {
                zip.writeRecord("data/" + s.getKey(), s.getValue());
            }
            zip.writeRecord("version", "3\n".getBytes(StandardCharsets.US_ASCII));
            zip.finish();
        }
        return file;
    }

    private static byte[] pickle(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80);
        out.write(2);
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write((Integer) p);
            }
        }
        out.write('.');
        return out.toByteArray();
    }

    private static BadInputException rejected(Path file) {
        BadInputException e = assertThrows(BadInputException.class, () -> {
            try (PytorchBinFile f = PytorchBinFile.open(file)) {
                for (String name : f.tensors().keySet()) {
                    f.readBytes(name);
                }
            }
        });
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        return e;
    }

    @Test
    void rejectsOsSystem() throws Exception {
        // cos\nsystem\n (X'echo pwned' tuple1) REDUCE
        Path file = archive("evil.bin", pickle("cos\nsystem\n", "X\u0009\u0000\u0000\u0000echo hack", 0x85, "R"), Map.of());
        BadInputException e = rejected(file);
        assertTrue(e.getMessage().contains("unsupported pickle global os.system"), e.getMessage());
        assertTrue(e.getMessage().contains("weights_only"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"builtins\neval\n", "__builtin__\ngetattr\n", "torch\nload\n", "collections\ndefaultdict\n",
            "torch._utils\n_rebuild_tensor_v2_evil\n", "subprocess\nPopen\n", "torch.storage\n_load_from_bytes\n"})
    void rejectsEveryOtherGlobal(String global) throws Exception {
        Path file = archive("evil.bin", pickle("c" + global, ")R"), Map.of());
        BadInputException e = rejected(file);
        assertTrue(e.getMessage().contains("unsupported pickle global " + global.replace('\n', '.').replaceAll("\\.$", "")),
                e.getMessage());
    }

    @Test
    void rejectsOpcodesTorchDoesNotAllow() throws Exception {
        // STACK_GLOBAL (protocol 4), INST, OBJ, FRAME, EXT1, PERSID (text)
        for (String body : List.of("X\u0002\u0000\u0000\u0000osX\u0006\u0000\u0000\u0000system\u0093",
                "ios\nsystem\n", "(o", "\u0095\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000N", "\u0082\u0001", "Pfoo\n")) {
            Path file = archive("op" + body.hashCode() + ".bin", pickle(body), Map.of());
            BadInputException e = rejected(file);
            assertTrue(e.getMessage().contains("unsupported pickle opcode"), e.getMessage());
        }
    }

    @Test
    void rejectsNonStoragePersistentIdsAndCallsOnData() throws Exception {
        Path pid = archive("pid.bin", pickle("X\u0003\u0000\u0000\u0000abc", 0x85, "Q"), Map.of());
        assertTrue(rejected(pid).getMessage().contains("is not a ('storage', type, key, location, numel) tuple"));
        Path pid2 = archive("pid2.bin", pickle("(X\u0004\u0000\u0000\u0000evilctorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X"
                + "\u0003\u0000\u0000\u0000cpuK\u0001tQ"), Map.of());
        assertTrue(rejected(pid2).getMessage().contains("only persistent_load of storage is allowed"));
        // REDUCE whose callable is a string, BUILD on a list
        assertTrue(rejected(archive("r.bin", pickle("X\u0001\u0000\u0000\u0000x)R"), Map.of())).getMessage()
                .contains("not an allow-listed function"));
        assertTrue(rejected(archive("b.bin", pickle("]}b"), Map.of())).getMessage().contains("BUILD on a list is not allowed"));
        // a dict that is not a state dict
        assertTrue(rejected(archive("d.bin", pickle("}X\u0001\u0000\u0000\u0000kK\u0001s"), Map.of())).getMessage()
                .contains("state dict entry 'k' is an integer (1), not a tensor"));
    }

    @Test
    void rejectsTensorsThatReadPastTheirStorage() throws Exception {
        byte[] pkl = TorchPickle.stateDict(List.of(new TorchPickle.Entry("w", DType.FLOAT32, new long[] {4}, "0")));
        Path ok = archive("ok.bin", pkl, Map.of("0", new byte[16]));
        try (PytorchBinFile f = PytorchBinFile.open(ok)) {
            assertArrayEquals(new float[4], f.readFloats("w"));
        }
        Path short_ = archive("short.bin", pkl, Map.of("0", new byte[12]));
        assertTrue(rejected(short_).getMessage().contains("storage data/0 holds 12 bytes but 4 float32 elements need 16"));
        Path missing = archive("missing.bin", pkl, Map.of());
        assertTrue(rejected(missing).getMessage().contains("no data/0 record"));
    }

    @Test
    void rejectsTruncatedFiles() throws Exception {
        Path good = tmp.resolve("pytorch_model.bin");
        PytorchWriter.write(good, PytorchWriterTest.TENSORS, DType.FLOAT32, ProgressCounter.none());
        byte[] bytes = Files.readAllBytes(good);
        for (int length : new int[] {0, 1, 21, 100, bytes.length / 2, bytes.length - 30, bytes.length - 1}) {
            Path cut = tmp.resolve("cut-" + length + ".bin");
            Files.write(cut, java.util.Arrays.copyOf(bytes, length));
            BadInputException e = rejected(cut);
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), e.getMessage());
        }
        BadInputException e = rejected(tmp.resolve("absent.bin"));
        assertTrue(e.getMessage().endsWith("file not found"));
    }

    @Test
    void rejectsCorruptPayloadsByCrc() throws Exception {
        Path good = tmp.resolve("pytorch_model.bin");
        PytorchWriter.write(good, PytorchWriterTest.TENSORS, DType.FLOAT32, ProgressCounter.none());
        long dataOffset;
        long pickleOffset;
        try (FileChannel ch = FileChannel.open(good, StandardOpenOption.READ)) {
            TorchZipArchive zip = TorchZipArchive.read(good, ch);
            dataOffset = zip.record("data/1").dataOffset();
            pickleOffset = zip.record("data.pkl").dataOffset();
        }
        byte[] bytes = Files.readAllBytes(good);
        bytes[(int) dataOffset + 2] ^= 1;
        Path corrupt = tmp.resolve("corrupt.bin");
        Files.write(corrupt, bytes);
        BadInputException e = rejected(corrupt);
        assertTrue(e.getMessage().contains("CRC-32 mismatch in record 'data/1'"), e.getMessage());

        bytes = Files.readAllBytes(good);
        bytes[(int) pickleOffset + 40] ^= 0x10;
        Files.write(corrupt, bytes);
        e = rejected(corrupt);
        assertTrue(e.getMessage().contains("CRC-32 mismatch in record 'data.pkl'"), e.getMessage());
    }

    @Test
    void rejectsGarbageAndLegacyFiles() throws Exception {
        Path garbage = tmp.resolve("garbage.bin");
        Files.write(garbage, "this is not a zip file at all, just some text bytes".getBytes(StandardCharsets.US_ASCII));
        assertTrue(rejected(garbage).getMessage().contains("not a torch.save zip archive"));
        Path legacy = tmp.resolve("legacy.bin");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20});
        assertTrue(rejected(legacy).getMessage().contains("legacy"));
    }

    @Test
    void readsNonContiguousViewsInRowMajorOrder() throws Exception {
        // A hand-built pickle: a 2x3 view with stride (1, 2) at offset 1 of a 7-element storage, and a BigEndian-free check
        PickleEmitter p = new PickleEmitter().proto2();
        p.global("collections", "OrderedDict").op(PickleEmitter.EMPTY_TUPLE).op(PickleEmitter.REDUCE).put();
        p.string("v").global("torch._utils", "_rebuild_tensor_v2").op(PickleEmitter.MARK);
        p.op(PickleEmitter.MARK).string("storage").global("torch", "FloatStorage").string("0").string("cpu").integer(7)
                .op(PickleEmitter.TUPLE).op(PickleEmitter.BINPERSID);
        p.integer(1).intTuple(new long[] {2, 3}).intTuple(new long[] {1, 2}).bool(false);
        p.global("collections", "OrderedDict").op(PickleEmitter.EMPTY_TUPLE).op(PickleEmitter.REDUCE);
        p.op(PickleEmitter.TUPLE).op(PickleEmitter.REDUCE).op(PickleEmitter.SETITEM).op(PickleEmitter.STOP);
        ByteBuffer storage = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 7; i++) {
            storage.putFloat(i);
        }
        Path file = archive("view.bin", p.toByteArray(), Map.of("0", storage.array()));
        try (PytorchBinFile f = PytorchBinFile.open(file)) {
            // element [i][j] = storage[1 + i + 2j]
            assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, f.readFloats("v"));
        }
    }

    /** A one-tensor state dict: a float32 view {@code shape}/{@code stride} at {@code offset} of an n-element storage. */
    private Path view(String fileName, long storageNumel, long offset, long[] shape, long[] stride) throws Exception {
        PickleEmitter p = new PickleEmitter().proto2();
        p.global("collections", "OrderedDict").op(PickleEmitter.EMPTY_TUPLE).op(PickleEmitter.REDUCE).put();
        p.string("v").global("torch._utils", "_rebuild_tensor_v2").op(PickleEmitter.MARK);
        p.op(PickleEmitter.MARK).string("storage").global("torch", "FloatStorage").string("0").string("cpu")
                .integer(storageNumel).op(PickleEmitter.TUPLE).op(PickleEmitter.BINPERSID);
        p.integer(offset).intTuple(shape).intTuple(stride).bool(false);
        p.global("collections", "OrderedDict").op(PickleEmitter.EMPTY_TUPLE).op(PickleEmitter.REDUCE);
        p.op(PickleEmitter.TUPLE).op(PickleEmitter.REDUCE).op(PickleEmitter.SETITEM).op(PickleEmitter.STOP);
        return archive(fileName, p.toByteArray(), Map.of("0", new byte[Math.toIntExact(storageNumel * 4)]));
    }

    @Test
    void refusesABroadcastViewDeclaringABigVocabularyBeforeAllocating() throws Exception {
        // 90 kB of storage, one 30-row table of 768, seen as 600,000 rows through stride 0: 1.8 GB if read
        Path file = view("stride0.bin", 768 * 30, 0, new long[] {600_000, 768}, new long[] {0, 1});
        assertTrue(Files.size(file) < 100_000);
        BadInputException e = assertThrows(BadInputException.class, () -> PytorchBinFile.open(file).close());
        assertEquals(file + ": tensor 'v' [600000, 768] is a broadcast view (stride 0 in dimension 0); state dicts hold no"
                + " such views", e.getMessage());
    }

    @Test
    void refusesAViewWithMoreElementsThanItsStorage() throws Exception {
        // rows overlapping by all but one element: 1000 x 768 elements inside a storage of 1767
        Path file = view("overlap.bin", 1767, 0, new long[] {1000, 768}, new long[] {1, 1});
        BadInputException e = assertThrows(BadInputException.class, () -> PytorchBinFile.open(file).close());
        assertEquals(file + ": tensor 'v' [1000, 768] with stride [1, 1] has 768000 elements, more than its storage's 1767"
                + " (a view overlapping itself)", e.getMessage());
    }

    @Test
    void refusesAViewWhoseExtentOverflows() throws Exception {
        Path file = view("extent.bin", 4, 1L << 62, new long[] {4}, new long[] {1L << 62});
        BadInputException e = assertThrows(BadInputException.class, () -> PytorchBinFile.open(file).close());
        assertEquals(file + ": tensor 'v' [4] at offset 4611686018427387904 with stride [4611686018427387904] reads past its"
                + " storage of 4 elements", e.getMessage());
    }

    @Test
    void describesValuesInPythonTermsNotJavaClassNames() throws Exception {
        // {'t': True} and {'b': _codecs.encode('x', 'latin1')}
        Path bool = archive("bool.bin", pickle("}X\u0001\u0000\u0000\u0000t", 0x88, "s"), Map.of());
        assertEquals(bool + ": state dict entry 't' is a bool, not a tensor", rejected(bool).getMessage());
        Path bytes = archive("bytes.bin", pickle("}X\u0001\u0000\u0000\u0000bc_codecs\nencode\nX\u0001\u0000\u0000\u0000x"
                + "X\u0006\u0000\u0000\u0000latin1", 0x86, "Rs"), Map.of());
        assertEquals(bytes + ": state dict entry 'b' is bytes, not a tensor", rejected(bytes).getMessage());
    }

    @Test
    void parsesItsOwnPickleLikeTorchWrites() {
        byte[] pkl = TorchPickle.stateDict(List.of(
                new TorchPickle.Entry("a", DType.FLOAT32, new long[] {2, 3}, "0"),
                new TorchPickle.Entry("b", DType.FLOAT16, new long[] {1}, "1")));
        Object root = WeightsOnlyUnpickler.load(Path.of("x"), pkl);
        WeightsOnlyUnpickler.Dict d = (WeightsOnlyUnpickler.Dict) root;
        Iterator<Object> keys = d.items.keySet().iterator();
        assertEquals("a", keys.next());
        assertEquals("b", keys.next());
        WeightsOnlyUnpickler.TensorRef a = (WeightsOnlyUnpickler.TensorRef) d.items.get("a");
        assertArrayEquals(new long[] {3, 1}, a.stride());
        assertEquals(6, a.storage().numel());
    }
}
