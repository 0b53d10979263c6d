package io.electraconvert.hf.formats.safetensors;

import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.ProgressCounter;
import io.electraconvert.testsupport.fuzz.Fuzzer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the safetensors reader. Files are produced by {@link SafetensorsWriter} (and from
 * hand-built headers), then mutated: raw bytes, the u64 length prefix, and above all the JSON header (numeric edits,
 * key deletion and duplication, type changes, deep nesting, text edits, invalid UTF-8), with the data buffer kept
 * or resized to what the mutated header describes. Each mutated file is opened and every tensor read; the outcome
 * must be success or an {@link BadInputException} with a one-line message naming the file, with no hang and no
 * allocation far beyond the file's size. Failures print the seed, iteration and a hex snippet. Seed, iteration
 * count and replay: {@link Fuzzer}'s system properties.
 */
class SafetensorsFuzzTest {
    private static final long SEED = 0x5afe_2024_0e1ec7L;
    private static final int ITERATIONS = 100_000;
    /** Everything the reading thread may allocate, garbage included (Jackson's tree, names): factor x file + slack. */
    private static final int ALLOCATION_FACTOR = 64;
    private static final long ALLOCATION_SLACK = 4L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final long[] INTERESTING_LONGS = {0, 1, -1, 2, 3, 4, 7, 8, 0x7f, 0x80, 0xff, 0xffff, Integer.MAX_VALUE - 8,
            Integer.MAX_VALUE, 0x80000000L, 0xffffffffL, 0x100000000L, 1L << 53, 1L << 62, Long.MAX_VALUE - 1, Long.MAX_VALUE,
            Long.MIN_VALUE, 100_000_000L, 100_000_001L};
    private static final int[] INTERESTING_BYTES = {0, 0xff, 0x7f, 0x80, 1, 0xfe};

    @TempDir
    Path tmp;

    private record Base(String name, byte[] bytes, int headerLength) {
        byte[] json() {
            return Arrays.copyOfRange(bytes, 8, 8 + headerLength);
        }

        byte[] data() {
            return Arrays.copyOfRange(bytes, 8 + headerLength, bytes.length);
        }
    }

    private record Mutation(Base base, byte[] bytes, String description) {}

    @Test
    void mutatedSafetensorsFailCleanly() throws Exception {
        List<Base> bases = bases();
        Path file = tmp.resolve("fuzz.safetensors");
        for (Base b : bases) {
            Files.write(file, b.bytes());
            String outcome = readEverything(file);
            if (!outcome.equals("ok")) {
                fail(b.name() + " does not read cleanly before mutation: " + outcome);
            }
        }
        Fuzzer.run("SafetensorsFuzzTest", SEED, ITERATIONS, new Fuzzer.Target<Mutation>() {
            @Override
            public Mutation mutate(SplittableRandom random) {
                return SafetensorsFuzzTest.mutate(bases.get(random.nextInt(bases.size())), random);
            }

            @Override
            public String run(Mutation m) throws IOException {
                Files.write(file, m.bytes());
                long before = Fuzzer.allocatedBytes();
                String outcome = readEverything(file);
                Fuzzer.checkAllocation(before, ALLOCATION_FACTOR * (long) m.bytes().length + ALLOCATION_SLACK,
                        "for a file of " + m.bytes().length + " bytes");
                return outcome;
            }

            @Override
            public String describe(Mutation m) {
                return m.description() + " (base " + m.base().name() + ")";
            }

            @Override
            public String details(Mutation m) {
                byte[] mutated = m.bytes();
                String header = mutated.length <= 8 ? ""
                        : new String(mutated, 8, Math.min(mutated.length - 8, 400), StandardCharsets.ISO_8859_1);
                return Fuzzer.hexAroundChange(m.base().bytes(), mutated) + "\nheader text: "
                        + header.replaceAll("[\\p{Cntrl}]", "?");
            }

            @Override
            public long inputBytes(Mutation m) {
                return m.bytes().length;
            }
        });
    }

    // ------------------------------------------------------------------ reading

    private static String readEverything(Path file) {
        BadInputException firstFailure = null;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            f.metadata();
            f.header().dataSize();
            for (Map.Entry<String, SafetensorsEntry> e : f.tensors().entrySet()) {
                try {
                    DType d = e.getValue().dtype();
                    if (d == DType.FLOAT32 || d == DType.FLOAT16 || d == DType.BFLOAT16 || d == DType.FLOAT64) {
                        f.readFloats(e.getKey());
                    } else {
                        f.readBytes(e.getKey());
                    }
                } catch (BadInputException ex) {
                    checkMessage(ex, file);
                    if (firstFailure == null) {
                        firstFailure = ex;
                    }
                }
            }
        } catch (BadInputException e) {
            checkMessage(e, file);
            return e.getClass().getSimpleName();
        }
        return firstFailure == null ? "ok" : firstFailure.getClass().getSimpleName();
    }

    private static void checkMessage(BadInputException e, Path file) {
        String message = e.getMessage();
        if (!file.equals(e.file()) || !message.startsWith(file + ": ")
                || message.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029)) {
            throw new AssertionError("message is not one line naming the file: " + message, e);
        }
    }

    // ------------------------------------------------------------------ base files

    private static OutputTensor tensor(String name, long[] shape, SplittableRandom random) {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        return new OutputTensor(name, shape, () -> {
            ByteBuffer b = ByteBuffer.allocate((int) n * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                b.putFloat(i, (float) random.nextGaussian());
            }
            return b;
        });
    }

    private List<Base> bases() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Base> bases = new ArrayList<>();
        List<OutputTensor> tensors = List.of(
                tensor("electra.embeddings.word_embeddings.weight", new long[] {30, 8}, random),
                tensor("electra.embeddings.LayerNorm.bias", new long[] {8}, random),
                tensor("electra.encoder.layer.0.attention.self.query.weight", new long[] {8, 8}, random),
                tensor("scalar", new long[] {}, random),
                tensor("empty", new long[] {0, 3}, random));
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16)) {
            Path p = tmp.resolve("base-" + dtype + ".safetensors");
            SafetensorsWriter.write(p, tensors, dtype, ProgressCounter.none());
            bases.add(base("writer-" + dtype, Files.readAllBytes(p)));
        }
        Path one = tmp.resolve("base-one.safetensors");
        SafetensorsWriter.write(one, List.of(tensor("w", new long[] {1}, random)), DType.FLOAT32, ProgressCounter.none());
        bases.add(base("writer-one", Files.readAllBytes(one)));
        // hand-built: integer and 64-bit dtypes, richer metadata, no padding
        List<SafetensorsEntry> entries = List.of(
                new SafetensorsEntry("ids", DType.INT64, new long[] {3}, 0, 24),
                new SafetensorsEntry("mask", DType.UINT8, new long[] {2, 2}, 24, 28),
                new SafetensorsEntry("d", DType.FLOAT64, new long[] {2}, 28, 44),
                new SafetensorsEntry("flags", DType.BOOL, new long[] {4}, 44, 48));
        ByteBuffer header = new SafetensorsHeader(Map.of("format", "pt", "note", "fuzz base"), entries).encode();
        byte[] data = new byte[48];
        random.nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header.array(), 0, header.remaining());
        out.write(data);
        bases.add(base("handmade", out.toByteArray()));
        return bases;
    }

    private static Base base(String name, byte[] bytes) {
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new Base(name, bytes, (int) n);
    }

    // ------------------------------------------------------------------ mutations

    private static Mutation mutate(Base base, SplittableRandom random) {
        StringBuilder desc = new StringBuilder();
        int kind = random.nextInt(100);
        byte[] bytes;
        if (kind < 20) {
            desc.append("raw ");
            bytes = raw(base.bytes(), random, desc, 8 + base.headerLength());
        } else if (kind < 30) {
            desc.append("length-prefix ");
            bytes = base.bytes().clone();
            long v = random.nextBoolean() ? INTERESTING_LONGS[random.nextInt(INTERESTING_LONGS.length)]
                    : base.headerLength() + random.nextInt(17) - 8;
            ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
            desc.append(v);
        } else {
            desc.append("json ");
            bytes = mutateJson(base, random, desc);
        }
        return new Mutation(base, bytes, desc.toString());
    }

    private static byte[] mutateJson(Base base, SplittableRandom random, StringBuilder desc) {
        ObjectNode root;
        try {
            root = (ObjectNode) JSON.readTree(base.json());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String duplicateKey = null;
        int ops = 1 + (random.nextInt(3) == 0 ? random.nextInt(3) : 0);
        for (int op = 0; op < ops; op++) {
            List<String> names = new ArrayList<>();
            root.fieldNames().forEachRemaining(names::add);
            String name = names.isEmpty() ? "x" : names.get(random.nextInt(names.size()));
            JsonNode node = root.path(name);
            int what = random.nextInt(11);
            desc.append(what).append(':');
            switch (what) {
                case 0, 1 -> { // numeric edit in shape / data_offsets
                    List<ArrayNode> arrays = new ArrayList<>();
                    root.forEach(t -> {
                        if (t.path("shape").isArray() && !t.path("shape").isEmpty()) {
                            arrays.add((ArrayNode) t.get("shape"));
                        }
                        if (t.path("data_offsets").isArray() && !t.path("data_offsets").isEmpty()) {
                            arrays.add((ArrayNode) t.get("data_offsets"));
                        }
                    });
                    if (!arrays.isEmpty()) {
                        ArrayNode a = arrays.get(random.nextInt(arrays.size()));
                        int k = random.nextInt(a.size());
                        JsonNode v = numeric(random, a.get(k).asLong());
                        a.set(k, v);
                        desc.append("number ").append(v);
                    }
                }
                case 2 -> { // key deletion
                    if (node.isObject() && random.nextBoolean()) {
                        String key = List.of("dtype", "shape", "data_offsets", "format").get(random.nextInt(4));
                        ((ObjectNode) node).remove(key);
                        desc.append("delete ").append(name).append('.').append(key);
                    } else {
                        root.remove(name);
                        desc.append("delete ").append(name);
                    }
                }
                case 3 -> { // key duplication (emitted twice in the text)
                    duplicateKey = name;
                    desc.append("duplicate ").append(name);
                }
                case 4 -> { // dtype edit
                    if (node.isObject()) {
                        String[] dtypes = {"F64", "F32", "F16", "BF16", "I64", "U8", "BOOL", "F8_E5M2", "Q4", "f32", "", "F32 "};
                        if (random.nextInt(5) == 0) {
                            ((ObjectNode) node).put("dtype", random.nextInt());
                        } else {
                            ((ObjectNode) node).put("dtype", dtypes[random.nextInt(dtypes.length)]);
                        }
                        desc.append("dtype ").append(node.get("dtype"));
                    }
                }
                case 5 -> { // shape edits
                    if (node.isObject() && node.path("shape").isArray()) {
                        ArrayNode shape = (ArrayNode) node.get("shape");
                        switch (random.nextInt(5)) {
                            case 0 -> shape.add(numeric(random, 1));
                            case 1 -> {
                                if (!shape.isEmpty()) {
                                    shape.remove(random.nextInt(shape.size()));
                                }
                            }
                            case 2 -> {
                                int n = random.nextInt(5_000);
                                for (int k = 0; k < n; k++) {
                                    shape.add(random.nextInt(50) == 0 ? 2 : 1);
                                }
                            }
                            case 3 -> shape.addArray().add(1);
                            default -> shape.removeAll();
                        }
                        desc.append("shape ").append(shape.size()).append(" dims");
                    }
                }
                case 6 -> { // data_offsets edits
                    if (node.isObject() && node.path("data_offsets").isArray()) {
                        ArrayNode o = (ArrayNode) node.get("data_offsets");
                        long b = o.path(0).asLong();
                        long e = o.path(1).asLong();
                        switch (random.nextInt(5)) {
                            case 0 -> o.removeAll().add(e).add(b);
                            case 1 -> o.add(e);
                            case 2 -> o.remove(0);
                            case 3 -> {
                                long k = random.nextInt(17) - 8;
                                o.removeAll().add(b + k).add(e + k);
                            }
                            default -> o.removeAll().add(b).add(b);
                        }
                        desc.append("offsets ").append(o);
                    }
                }
                case 7 -> { // type changes
                    JsonNode replacement = switch (random.nextInt(6)) {
                        case 0 -> NODES.arrayNode().add(1);
                        case 1 -> NODES.textNode("x");
                        case 2 -> NODES.numberNode(3);
                        case 3 -> NODES.nullNode();
                        case 4 -> NODES.objectNode().put("k", 1);
                        default -> NODES.booleanNode(true);
                    };
                    if (node.isObject() && random.nextBoolean()) {
                        String key = List.of("dtype", "shape", "data_offsets", "format").get(random.nextInt(4));
                        ((ObjectNode) node).set(key, replacement);
                        desc.append("type ").append(name).append('.').append(key).append('=').append(replacement);
                    } else {
                        root.set(name, replacement);
                        desc.append("type ").append(name).append('=').append(replacement);
                    }
                }
                case 8 -> { // deep nesting
                    // Jackson will not write a tree this deep, so a placeholder is replaced in the text
                    int depth = 500 + random.nextInt(1500);
                    root.put(random.nextBoolean() ? name : "deep", DEEP + depth + (random.nextBoolean() ? "[" : "{"));
                    desc.append("nest ").append(depth);
                }
                case 9 -> { // many tensors
                    int n = 1 + random.nextInt(200);
                    long end = 0;
                    for (JsonNode t : root) {
                        end = Math.max(end, t.path("data_offsets").path(1).asLong());
                    }
                    for (int k = 0; k < n; k++) {
                        ObjectNode t = root.putObject("extra." + k);
                        t.put("dtype", "F32");
                        t.putArray("shape").add(0);
                        t.putArray("data_offsets").add(end).add(end);
                    }
                    desc.append("extra tensors ").append(n);
                }
                default -> { // rename
                    JsonNode v = root.remove(name);
                    String newName = List.of("", "__metadata__", "a\nb", "\u0000", "名前", "x".repeat(1000)).get(random.nextInt(6));
                    if (v != null) {
                        root.set(newName, v);
                    }
                    desc.append("rename ").append(name).append("->").append(newName.length() > 20 ? newName.length() + " chars" : newName);
                }
            }
            desc.append(' ');
        }
        byte[] json = emit(root, duplicateKey, random).getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(4) == 0) {
            desc.append("text:");
            json = text(json, random, desc);
        }
        // the data buffer: kept, or resized to what the header now describes (so layout checks pass and reads run)
        byte[] data = base.data();
        if (random.nextBoolean()) {
            long need = describedDataSize(json);
            if (need >= 0 && need <= (1 << 20)) {
                data = Arrays.copyOf(data, (int) need);
                desc.append(" data->").append(need);
            }
        }
        long prefix = json.length;
        if (random.nextInt(10) == 0) {
            prefix += random.nextInt(17) - 8;
            desc.append(" prefix=").append(prefix);
        }
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(prefix).put(json).put(data);
        return out.array();
    }

    private static JsonNode numeric(SplittableRandom random, long near) {
        return switch (random.nextInt(10)) {
            case 0 -> NODES.numberNode(BigInteger.ONE.shiftLeft(63));
            case 1 -> NODES.numberNode(BigInteger.ONE.shiftLeft(64).add(BigInteger.ONE));
            case 2 -> NODES.numberNode(new BigInteger("99999999999999999999999999999999999999"));
            case 3 -> NODES.numberNode(random.nextBoolean() ? 1e308 : 1.5);
            case 4 -> NODES.numberNode(-1 - random.nextInt(3));
            case 5 -> NODES.textNode(Long.toString(near));
            case 6 -> NODES.numberNode(near + random.nextInt(5) - 2);
            default -> NODES.numberNode(INTERESTING_LONGS[random.nextInt(INTERESTING_LONGS.length)]);
        };
    }

    /** JSON text of root, with one key optionally written twice (Jackson's tree cannot hold duplicates). */
    private static String emit(ObjectNode root, String duplicateKey, SplittableRandom random) {
        StringBuilder sb = new StringBuilder("{");
        boolean firstField = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int times = e.getKey().equals(duplicateKey) ? 2 : 1;
            for (int k = 0; k < times; k++) {
                if (!firstField) {
                    sb.append(',');
                }
                firstField = false;
                sb.append(NODES.textNode(e.getKey())).append(':').append(e.getValue());
            }
        }
        String text = sb.append('}').toString();
        int at = text.indexOf("\"" + DEEP);
        if (at >= 0) {
            int close = text.indexOf('"', at + 1);
            String spec = text.substring(at + 1 + DEEP.length(), close);
            int depth = Integer.parseInt(spec.substring(0, spec.length() - 1));
            boolean arrays = spec.endsWith("[");
            String open = arrays ? "[" : "{\"a\":";
            String end = arrays ? "]" : "}";
            text = text.substring(0, at) + open.repeat(depth) + "1" + end.repeat(depth) + text.substring(close + 1);
        }
        return text;
    }

    private static final String DEEP = "__deep_nesting__";

    private static byte[] text(byte[] json, SplittableRandom random, StringBuilder desc) {
        int p = json.length == 0 ? 0 : random.nextInt(json.length);
        byte[][] inserts = {{(byte) 0xff}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, {'\n'}, {0},
                {'"'}, {','}, {'}'}, {']'}, "99999999999999999999999999999999".getBytes(StandardCharsets.US_ASCII),
                {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "-".getBytes(StandardCharsets.US_ASCII), "e999".getBytes(StandardCharsets.US_ASCII)};
        switch (random.nextInt(4)) {
            case 0 -> {
                byte[] ins = inserts[random.nextInt(inserts.length)];
                byte[] out = new byte[json.length + ins.length];
                System.arraycopy(json, 0, out, 0, p);
                System.arraycopy(ins, 0, out, p, ins.length);
                System.arraycopy(json, p, out, p + ins.length, json.length - p);
                desc.append("insert@").append(p);
                return out;
            }
            case 1 -> {
                if (json.length == 0) {
                    return json;
                }
                byte[] out = new byte[json.length - 1];
                System.arraycopy(json, 0, out, 0, p);
                System.arraycopy(json, p + 1, out, p, json.length - p - 1);
                desc.append("delete@").append(p);
                return out;
            }
            case 2 -> {
                desc.append("truncate@").append(p);
                return Arrays.copyOf(json, p);
            }
            default -> {
                byte[] out = json.clone();
                if (out.length > 0) {
                    out[p] = (byte) INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                }
                desc.append("byte@").append(p);
                return out;
            }
        }
    }

    /** The largest end offset the JSON describes, or -1 when it is not parseable as the test understands it. */
    private static long describedDataSize(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            long end = 0;
            for (JsonNode t : root) {
                end = Math.max(end, t.path("data_offsets").path(1).asLong(0));
            }
            return end;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static byte[] raw(byte[] in, SplittableRandom random, StringBuilder desc, int headerEnd) {
        byte[] b = in.clone();
        int p = random.nextInt(4) != 0 ? random.nextInt(Math.min(headerEnd, b.length)) : random.nextInt(b.length);
        switch (random.nextInt(7)) {
            case 0, 1 -> {
                b[p] ^= (byte) (1 << random.nextInt(8));
                desc.append("bitflip@").append(p);
                return b;
            }
            case 2 -> {
                b[p] = (byte) INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                desc.append("set@").append(p);
                return b;
            }
            case 3 -> {
                int n = random.nextBoolean() ? random.nextInt(b.length) : Math.max(0, b.length - 1 - random.nextInt(16));
                desc.append("truncate ").append(n);
                return Arrays.copyOf(b, n);
            }
            case 4 -> {
                int n = 1 + random.nextInt(64);
                desc.append("extend +").append(n);
                return Arrays.copyOf(b, b.length + n);
            }
            case 5 -> {
                int n = 1 + random.nextInt(Math.min(32, b.length - p));
                byte[] out = new byte[b.length + n];
                System.arraycopy(b, 0, out, 0, p + n);
                System.arraycopy(b, p, out, p + n, b.length - p);
                desc.append("dup [").append(p).append('+').append(n).append(']');
                return out;
            }
            default -> {
                int n = 1 + random.nextInt(Math.min(32, b.length - p));
                byte[] out = new byte[b.length - n];
                System.arraycopy(b, 0, out, 0, p);
                System.arraycopy(b, p + n, out, p, b.length - p - n);
                desc.append("delete [").append(p).append('+').append(n).append(']');
                return out;
            }
        }
    }
}
