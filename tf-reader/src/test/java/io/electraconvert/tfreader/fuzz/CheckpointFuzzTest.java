package io.electraconvert.tfreader.fuzz;

import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import io.electraconvert.error.ElectraConvertException;
import static org.junit.jupiter.api.Assertions.fail;

import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.testsupport.fuzz.Fuzzer;
import io.electraconvert.tfreader.bundle.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import io.electraconvert.tfreader.checksum.MaskedCrc32c;
import io.electraconvert.tfreader.proto.BundleEntryProto;
import io.electraconvert.tfreader.proto.BundleHeaderProto;
import io.electraconvert.tfreader.proto.TensorShapeProto;
import io.electraconvert.tfreader.proto.TensorSliceProto;
import io.electraconvert.tfreader.sstable.TableEntry;
import io.electraconvert.tfreader.sstable.TableReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the tensor-bundle reader. Every fixture checkpoint is copied into a temporary folder
 * once; each mutation rewrites only the changed bytes of one or two files, opens the checkpoint and reads every
 * tensor, then restores the bytes. Each outcome must be a successful read or a {@link ElectraConvertException} with a
 * one-line message naming a file: any other throwable, a mutation running longer than the time limit or
 * allocating far more than the checkpoint's size fails the test with the seed, the iteration and a hex snippet of
 * the mutated bytes. Seed, iteration count and replay: {@link Fuzzer}'s system properties.
 */
class CheckpointFuzzTest {
    private static final long SEED = 0x7f_2024_0e1ec7L;
    private static final int ITERATIONS = 100_000;
    /**
     * Allocation caps, counting everything the reading thread allocates (garbage included). Opening may allocate
     * {@code OPEN_FACTOR} times the index size plus {@code SLACK} (protobuf objects, names as Strings); reading one
     * tensor {@code READ_FACTOR} times its stored size plus a little per element (string tensors: one array each)
     * and per name character (messages). They catch what matters: allocations sized from a corrupt count or length
     * before it is checked, and quadratic blow-ups.
     */
    private static final int OPEN_FACTOR = 64;
    private static final int READ_FACTOR = 4;
    private static final long SLACK = 4L << 20;
    private static final long READ_SLACK = 256L << 10;

    private static final long[] INTERESTING_LONGS = {0, 1, 2, 3, 4, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x10000,
            Integer.MAX_VALUE - 8, Integer.MAX_VALUE, 0x80000000L, 0xffffffffL, 0x100000000L, 0x100000001L,
            1L << 40, 1L << 53, 1L << 62, Long.MAX_VALUE - 1, Long.MAX_VALUE, Long.MIN_VALUE, -1, -2, -8};
    private static final int[] INTERESTING_BYTES = {0, 0xff, 0x7f, 0x80, 1, 0xfe, 0x81};
    private static final int[] INTERESTING_INTS = {0, 1, -1, 2, 3, 0x7f, 0x80, 0xff, 0xffff, Integer.MAX_VALUE,
            Integer.MIN_VALUE, 99_999, 100_000};

    @TempDir
    Path tmp;

    /** One checkpoint copied into the temp folder: files[0] is the index, files[1..] the data shards. */
    private static final class Fixture {
        final String name;
        final Path prefix;
        final Path[] files;
        final byte[][] original;
        final List<byte[]> keys = new ArrayList<>();
        final List<byte[]> values = new ArrayList<>();
        final long totalBytes;
        final int weight;

        Fixture(String name, Path prefix, Path[] files, byte[][] original, int weight) {
            this.name = name;
            this.prefix = prefix;
            this.files = files;
            this.original = original;
            this.weight = weight;
            long total = 0;
            for (byte[] b : original) {
                total += b.length;
            }
            this.totalBytes = total;
            for (TableEntry e : TableReader.readAll(files[0])) {
                keys.add(e.key());
                byte[] v = new byte[e.value().remaining()];
                e.value().duplicate().get(v);
                values.add(v);
            }
        }

        int numShards() {
            return files.length - 1;
        }
    }

    /** The new contents of some files of a fixture (null = unchanged) and what was done, for reports. */
    private record Mutation(Fixture fixture, byte[][] contents, String description) {}

    @Test
    void mutatedCheckpointsFailCleanly() throws Exception {
        List<Fixture> fixtures = new ArrayList<>();
        // weights keep the big fixtures (hundreds of KiB of tensor data read per mutation) rarer
        fixtures.add(copy("keras-bert-tiny", Fixtures.thirdParty("keras-bert-tiny/bert_model.ckpt"), 30));
        fixtures.add(copy("tf-rust-regression-model", Fixtures.thirdParty("tf-rust-regression-model/variables"), 15));
        fixtures.add(copy("tf-rust-regression-savedmodel", Fixtures.thirdParty("tf-rust-regression-savedmodel"), 25));
        fixtures.add(copy("released", Fixtures.checkpoint("released"), 10));
        fixtures.add(copy("untied", Fixtures.checkpoint("untied"), 6));
        fixtures.add(copy("sharded", Fixtures.checkpoint("sharded"), 6));
        fixtures.add(copy("small", Fixtures.checkpoint("small"), 4));
        fixtures.add(copy("base", Fixtures.checkpoint("base"), 4));
        int totalWeight = fixtures.stream().mapToInt(f -> f.weight).sum();
        for (Fixture f : fixtures) {
            // unmutated, every fixture reads cleanly (this also loads the classes before allocation is measured)
            String outcome = readEverything(f, false, 0);
            if (!outcome.equals("ok")) {
                fail(f.name + " does not read cleanly before mutation: " + outcome);
            }
        }
        Fuzzer.run("CheckpointFuzzTest", SEED, ITERATIONS, new Fuzzer.Target<Mutation>() {
            @Override
            public Mutation mutate(SplittableRandom random) {
                return CheckpointFuzzTest.mutate(pick(fixtures, totalWeight, random), random);
            }

            @Override
            public String run(Mutation m) {
                Fixture fixture = m.fixture();
                apply(fixture, m.contents(), true);
                try {
                    return readEverything(fixture, true, m.contents()[0] != null ? m.contents()[0].length : fixture.original[0].length);
                } finally {
                    apply(fixture, m.contents(), false);
                }
            }

            @Override
            public String describe(Mutation m) {
                return m.description() + " (fixture " + m.fixture().name + ")";
            }

            @Override
            public String details(Mutation m) {
                StringBuilder sb = new StringBuilder();
                for (int f = 0; f < m.contents().length; f++) {
                    if (m.contents()[f] != null) {
                        sb.append(m.fixture().files[f].getFileName()).append(": ")
                                .append(Fuzzer.hexAroundChange(m.fixture().original[f], m.contents()[f])).append('\n');
                    }
                }
                return sb.toString();
            }

            @Override
            public long inputBytes(Mutation m) {
                long bytes = 0;
                for (int f = 0; f < m.fixture().files.length; f++) {
                    bytes += m.contents()[f] != null ? m.contents()[f].length : m.fixture().original[f].length;
                }
                return bytes;
            }
        });
    }

    // ------------------------------------------------------------------ running one case

    /**
     * Opens the checkpoint and reads every tensor; "ok" or the simple name of the first typed exception. With
     * {@code measure}, allocations beyond the caps fail; without, the same code still runs (its first run allocates
     * for class loading and call-site linkage, which must not count against a mutation).
     */
    private static String readEverything(Fixture fixture, boolean measure, long indexBytes) {
        ElectraConvertException firstFailure = null;
        long start = Fuzzer.allocatedBytes();
        try (TfCheckpoint ckpt = TfCheckpoint.open(fixture.prefix)) {
            Fuzzer.checkAllocation(start, measure ? OPEN_FACTOR * indexBytes + SLACK : Long.MAX_VALUE,
                    "opening (index of " + indexBytes + " bytes)");
            ckpt.totalTensorBytes();
            for (TensorInfo t : ckpt.tensors()) {
                long before = Fuzzer.allocatedBytes();
                try {
                    DType dtype = t.knownDtype().orElse(null);
                    if (dtype == DType.STRING) {
                        ckpt.readStrings(t);
                    } else if (dtype != null && dtype.isFloatingPoint() && ckpt.find(t.name()).orElse(null) == t) {
                        ckpt.readFloats(t.name());
                    } else if (dtype != null && t.size() > 64 && (t.size() & 1) == 0) {
                        long[] streamed = {0};
                        ckpt.streamBytes(t, 64, chunk -> streamed[0] += chunk.remaining());
                    } else {
                        ckpt.readBytes(t);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (ElectraConvertException e) {
                    checkMessage(e);
                    if (firstFailure == null) {
                        firstFailure = e;
                    }
                }
                long perElement = t.knownDtype().orElse(null) == DType.STRING ? 32 * Math.max(0, t.numElements()) : 0;
                long cap = READ_FACTOR * Math.max(0, t.size()) + perElement + 64L * t.name().length() + READ_SLACK;
                Fuzzer.checkAllocation(before, measure ? cap : Long.MAX_VALUE,
                        "reading tensor '" + t.name() + "' (" + t.dtypeName() + t.shapeString() + ", " + t.size() + " bytes)");
            }
        } catch (ElectraConvertException e) {
            checkMessage(e);
            return e.getClass().getSimpleName();
        }
        return firstFailure == null ? "ok" : firstFailure.getClass().getSimpleName();
    }

    private static void checkMessage(ElectraConvertException e) {
        String message = e.getMessage();
        if (e.file() == null || !message.startsWith(e.file() + ": ") || message.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029)) {
            throw new AssertionError("message is not one line naming the file: " + message, e);
        }
    }

    // ------------------------------------------------------------------ fixtures on disk

    private Fixture copy(String name, Path source, int weight) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Path[] sourceFiles;
        String prefixName;
        try (TfCheckpoint ckpt = TfCheckpoint.open(source)) {
            prefixName = ckpt.prefix().getFileName().toString();
            List<Path> files = new ArrayList<>();
            files.add(ckpt.indexFile());
            files.addAll(ckpt.dataFiles());
            sourceFiles = files.toArray(Path[]::new);
        }
        Path[] copies = new Path[sourceFiles.length];
        byte[][] bytes = new byte[sourceFiles.length][];
        for (int i = 0; i < sourceFiles.length; i++) {
            bytes[i] = Files.readAllBytes(sourceFiles[i]);
            copies[i] = dir.resolve(sourceFiles[i].getFileName());
            Files.write(copies[i], bytes[i]);
        }
        return new Fixture(name, dir.resolve(prefixName), copies, bytes, weight);
    }

    private static Fixture pick(List<Fixture> fixtures, int totalWeight, SplittableRandom random) {
        int w = random.nextInt(totalWeight);
        for (Fixture f : fixtures) {
            w -= f.weight;
            if (w < 0) {
                return f;
            }
        }
        throw new AssertionError();
    }

    /** Writes the mutated files ({@code forward}) or restores the originals, touching only the changed bytes. */
    private static void apply(Fixture fixture, byte[][] contents, boolean forward) {
        for (int f = 0; f < contents.length; f++) {
            if (contents[f] != null) {
                byte[] from = forward ? fixture.original[f] : contents[f];
                byte[] to = forward ? contents[f] : fixture.original[f];
                try {
                    writeDiff(fixture.files[f], from, to);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    private static void writeDiff(Path file, byte[] from, byte[] to) throws IOException {
        int start = Arrays.mismatch(from, to);
        if (start < 0) {
            return;
        }
        int end = to.length;
        if (from.length == to.length) {
            int chunk = 4096;
            while (end > start) {
                int s = Math.max(start, end - chunk);
                int m = Arrays.mismatch(from, s, end, to, s, end);
                if (m >= 0) {
                    int last = end - 1;
                    while (from[last] == to[last]) {
                        last--;
                    }
                    end = last + 1;
                    break;
                }
                end = s;
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer data = ByteBuffer.wrap(to, start, Math.max(0, end - start));
            long position = start;
            while (data.hasRemaining()) {
                position += ch.write(data, position);
            }
            if (to.length < from.length) {
                ch.truncate(to.length);
            }
        }
    }

    // ------------------------------------------------------------------ mutations

    private static Mutation mutate(Fixture fixture, SplittableRandom random) {
        byte[][] contents = new byte[fixture.files.length][];
        StringBuilder desc = new StringBuilder();
        int kind = random.nextInt(100);
        if (kind < 25) {
            // raw bytes of the index as TensorFlow wrote it
            desc.append("raw-index ");
            contents[0] = RawMutator.mutate(fixture.original[0], random, desc, true);
        } else if (kind < 65) {
            // decode, change entries / protos / keys, re-encode as a valid table
            desc.append("entries ");
            contents[0] = mutateEntries(fixture, contents, random, desc);
        } else if (kind < 80) {
            // raw bytes of a data shard (checksums will mostly catch it; truncation hits the bounds checks)
            int shard = 1 + random.nextInt(fixture.numShards());
            desc.append("raw-data(shard ").append(shard - 1).append(") ");
            contents[shard] = RawMutator.mutate(fixture.original[shard], random, desc, false);
        } else {
            // a crafted string tensor with valid checksums replaces an entry's data
            desc.append("string-tensor ");
            craftStringTensor(fixture, contents, random, desc);
        }
        return new Mutation(fixture, contents, desc.toString());
    }

    private static byte[] mutateEntries(Fixture fixture, byte[][] contents, SplittableRandom random, StringBuilder desc) {
        List<byte[]> keys = new ArrayList<>(fixture.keys);
        List<byte[]> values = new ArrayList<>(fixture.values);
        int ops = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        for (int op = 0; op < ops; op++) {
            int choice = random.nextInt(100);
            int i = keys.size() > 1 ? 1 + random.nextInt(keys.size() - 1) : 0;
            try {
                if (choice < 45 && i > 0) {
                    desc.append("field(").append(i).append("):");
                    BundleEntryProto.Builder b = BundleEntryProto.parseFrom(values.get(i)).toBuilder();
                    mutateEntryField(b, fixture, random, desc);
                    values.set(i, b.build().toByteArray());
                } else if (choice < 55) {
                    desc.append("header:");
                    BundleHeaderProto.Builder b = BundleHeaderProto.parseFrom(values.get(0)).toBuilder();
                    switch (random.nextInt(4)) {
                        case 0, 1 -> b.setNumShards(pickInt(random, fixture.numShards()));
                        case 2 -> b.setEndiannessValue(random.nextInt(4) - 1);
                        default -> b.getVersionBuilder().setProducer(random.nextInt(3) - 1).setMinConsumer(random.nextInt(3)).addBadConsumers(random.nextInt(3));
                    }
                    desc.append(b.getNumShards()).append('/').append(b.getEndiannessValue()).append(' ');
                    values.set(0, b.build().toByteArray());
                } else if (choice < 80) {
                    int which = random.nextInt(keys.size());
                    desc.append("value-bytes(").append(which).append("):");
                    values.set(which, RawMutator.mutate(values.get(which), random, desc, false));
                } else {
                    mutateKeys(keys, values, random, desc);
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                desc.append("(unparseable, kept) ");
            }
            desc.append(' ');
        }
        int restartInterval = 1 + random.nextInt(16);
        int blockBytes = random.nextBoolean() ? 1 << 20 : 32 + random.nextInt(2048);
        desc.append("table(restart=").append(restartInterval).append(",block=").append(blockBytes).append(") ");
        Table table = Table.write(keys, values, restartInterval, blockBytes);
        if (random.nextInt(4) == 0) {
            desc.append("then raw+crc-fixup ");
            byte[] raw = RawMutator.mutate(table.bytes, random, desc, random.nextBoolean());
            if (raw.length == table.bytes.length) {
                table.fixChecksums(raw);
            }
            return raw;
        }
        return table.bytes;
    }

    private static void mutateEntryField(BundleEntryProto.Builder b, Fixture fixture, SplittableRandom random, StringBuilder desc) {
        int field = random.nextInt(12);
        switch (field) {
            case 0, 1 -> b.setSize(pickLong(random, b.getSize()));
            case 2, 3 -> b.setOffset(pickLong(random, b.getOffset()));
            case 4 -> b.setShardId(pickInt(random, b.getShardId()));
            case 5 -> b.setDtypeValue(new int[] {0, 1, 2, 3, 4, 6, 7, 9, 10, 14, 19, 21, 23, 99, -1, Integer.MAX_VALUE}[random.nextInt(16)]);
            case 6, 7 -> {
                TensorShapeProto.Builder shape = b.getShapeBuilder();
                int n = shape.getDimCount();
                int what = random.nextInt(6);
                if (what == 0 || n == 0) {
                    shape.addDimBuilder().setSize(pickLong(random, 1));
                } else if (what == 1) {
                    shape.removeDim(random.nextInt(n));
                } else if (what == 2) {
                    shape.setUnknownRank(true);
                } else if (what == 3) {
                    int count = 1 + random.nextInt(80);
                    for (int k = 0; k < count; k++) {
                        shape.addDimBuilder().setSize(random.nextBoolean() ? 2 : 1L << 31);
                    }
                } else {
                    int d = random.nextInt(n);
                    shape.getDimBuilder(d).setSize(pickLong(random, shape.getDim(d).getSize()));
                }
            }
            case 8 -> b.setCrc32C(random.nextInt());
            case 9 -> b.addSlices(TensorSliceProto.newBuilder().addExtent(
                    TensorSliceProto.Extent.newBuilder().setStart(pickLong(random, 0)).setLength(pickLong(random, 1))));
            case 10 -> {
                // dtype and size consistent with a different element size: passes the size check, exercises reads
                DType[] types = java.util.Arrays.stream(DType.values()).filter(d -> d.tfCode() != 0).toArray(DType[]::new);
                DType t = types[random.nextInt(types.length)];
                b.setDtypeValue(t.tfCode());
            }
            default -> {
                b.setSize(pickLong(random, b.getSize()));
                b.setOffset(pickLong(random, b.getOffset()));
            }
        }
        desc.append("f").append(field).append("[shard=").append(b.getShardId()).append(",off=").append(b.getOffset())
                .append(",size=").append(b.getSize()).append(",dtype=").append(b.getDtypeValue()).append(",dims=")
                .append(b.getShape().getDimCount()).append("] ");
    }

    private static void mutateKeys(List<byte[]> keys, List<byte[]> values, SplittableRandom random, StringBuilder desc) {
        int n = keys.size();
        int i = random.nextInt(n);
        switch (random.nextInt(8)) {
            case 7 -> {
                // a chain of keys each extending the previous one: prefix compression stores each in a few bytes
                int chain = 200 + random.nextInt(800);
                desc.append("key-chain(").append(i).append(",").append(chain).append(")");
                byte[] base = keys.get(i);
                byte[] value = values.get(i);
                for (int k = 1; k <= chain; k++) {
                    byte[] key = Arrays.copyOf(base, base.length + k);
                    Arrays.fill(key, base.length, key.length, (byte) 0xff);
                    keys.add(i + k, key);
                    values.add(i + k, random.nextBoolean() ? value : new byte[0]);
                }
            }
            case 0 -> {
                desc.append("dup-entry(").append(i).append(")");
                keys.add(i, keys.get(i));
                values.add(i, values.get(i));
            }
            case 1 -> {
                desc.append("delete-entry(").append(i).append(")");
                keys.remove(i);
                values.remove(i);
            }
            case 2 -> {
                int j = random.nextInt(n);
                desc.append("swap-keys(").append(i).append(",").append(j).append(")");
                byte[] k = keys.get(i);
                keys.set(i, keys.get(j));
                keys.set(j, k);
            }
            case 3 -> {
                desc.append("empty-key(").append(i).append(")");
                keys.set(i, new byte[0]);
            }
            case 4 -> {
                desc.append("slice-key(").append(i).append(")");
                byte[] k = new byte[keys.get(i).length + 1];
                System.arraycopy(keys.get(i), 0, k, 1, k.length - 1);
                keys.set(i, k);
            }
            case 5 -> {
                desc.append("long-key(").append(i).append(")");
                byte[] k = Arrays.copyOf(keys.get(i), keys.get(i).length + 1 + random.nextInt(4096));
                Arrays.fill(k, keys.get(i).length, k.length, (byte) ('a' + random.nextInt(26)));
                keys.set(i, k);
            }
            default -> {
                desc.append("key-bytes(").append(i).append("):");
                keys.set(i, RawMutator.mutate(keys.get(i), random, desc, false));
            }
        }
    }

    /**
     * Writes a DT_STRING payload (varint lengths, masked CRC of the lengths, characters) with correct checksums at the
     * end of a shard and points an entry at it, often with lengths, counts or shape that disagree.
     */
    private static void craftStringTensor(Fixture fixture, byte[][] contents, SplittableRandom random, StringBuilder desc) {
        List<byte[]> keys = new ArrayList<>(fixture.keys);
        List<byte[]> values = new ArrayList<>(fixture.values);
        if (keys.size() < 2) {
            contents[0] = fixture.original[0].clone();
            return;
        }
        int i = 1 + random.nextInt(keys.size() - 1);
        BundleEntryProto.Builder b;
        try {
            b = BundleEntryProto.parseFrom(values.get(i)).toBuilder();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        int count = switch (random.nextInt(8)) {
            case 0, 1 -> random.nextInt(2000);
            case 2 -> 20_000 + random.nextInt(60_000); // many (mostly empty) strings
            default -> random.nextInt(6);
        };
        long[] lengths = new long[count];
        long realChars = 0;
        for (int k = 0; k < count; k++) {
            lengths[k] = count > 10_000 ? (random.nextInt(100) == 0 ? random.nextInt(3) : 0)
                    : random.nextInt(3) == 0 ? pickLong(random, 3) : random.nextInt(40);
            if (lengths[k] >= 0 && lengths[k] < 4096) {
                realChars += lengths[k];
            }
        }
        byte[] chars = new byte[(int) Math.max(0, Math.min(realChars + (random.nextInt(4) == 0 ? random.nextInt(16) - 8 : 0), 1 << 16))];
        random.nextBytes(chars);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        ByteBuffer encodedLengths = ByteBuffer.allocate(8 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (long len : lengths) {
            putVarint(payload, len);
            if (len > 0xffffffffL || len < 0) {
                encodedLengths.putLong(len);
            } else {
                encodedLengths.putInt((int) len);
            }
        }
        encodedLengths.flip();
        int lengthsCrc = MaskedCrc32c.crc(encodedLengths.duplicate());
        byte[] masked = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(MaskedCrc32c.mask(lengthsCrc)).array();
        payload.writeBytes(masked);
        payload.writeBytes(chars);
        java.util.zip.CRC32C entryCrc = new java.util.zip.CRC32C();
        entryCrc.update(encodedLengths.duplicate());
        entryCrc.update(masked);
        entryCrc.update(chars);
        byte[] bytes = payload.toByteArray();

        int shard = b.getShardId() >= 0 && b.getShardId() < fixture.numShards() ? b.getShardId() : 0;
        byte[] data = fixture.original[1 + shard];
        byte[] newData = Arrays.copyOf(data, data.length + bytes.length);
        System.arraycopy(bytes, 0, newData, data.length, bytes.length);
        contents[1 + shard] = newData;

        b.setDtypeValue(DType.STRING.tfCode()).setShardId(shard).setOffset(data.length).setSize(bytes.length)
                .setCrc32C(MaskedCrc32c.mask((int) entryCrc.getValue())).clearSlices();
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        switch (random.nextInt(5)) {
            case 0 -> shape.addDimBuilder().setSize(pickLong(random, count));
            case 1 -> shape.addDimBuilder().setSize(count + random.nextInt(3) - 1);
            case 2 -> {
                // scalar: one element
            }
            default -> shape.addDimBuilder().setSize(count);
        }
        b.setShape(shape);
        if (random.nextInt(6) == 0) {
            b.setSize(pickLong(random, bytes.length));
        }
        values.set(i, b.build().toByteArray());
        desc.append("entry ").append(i).append(" count=").append(count).append(" shape=").append(shape.getDimList().stream()
                .map(d -> Long.toString(d.getSize())).toList()).append(" size=").append(b.getSize())
                .append(" lengths[0..3]=").append(Arrays.toString(Arrays.copyOf(lengths, Math.min(3, count))));
        contents[0] = Table.write(keys, values, 16, 1 << 20).bytes;
    }

    private static long pickLong(SplittableRandom random, long near) {
        return switch (random.nextInt(4)) {
            case 0 -> near + random.nextInt(17) - 8;
            case 1 -> near * 2;
            default -> INTERESTING_LONGS[random.nextInt(INTERESTING_LONGS.length)];
        };
    }

    private static int pickInt(SplittableRandom random, int near) {
        return random.nextInt(3) == 0 ? near + random.nextInt(5) - 2 : INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
    }

    static void putVarint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    // ------------------------------------------------------------------ byte-level mutators

    /** Generic byte mutators: bit flips, interesting bytes/words, varint edits, truncation, extension, chunk dup/delete. */
    static final class RawMutator {
        private RawMutator() {}

        static byte[] mutate(byte[] in, SplittableRandom random, StringBuilder desc, boolean favourTail) {
            byte[] b = in.clone();
            int kind = random.nextInt(10);
            if (b.length == 0) {
                kind = 5;
            }
            switch (kind) {
                case 0, 1 -> {
                    int flips = 1 + random.nextInt(random.nextBoolean() ? 1 : 8);
                    desc.append("bitflip x").append(flips).append(" @");
                    for (int k = 0; k < flips; k++) {
                        int p = position(b.length, random, favourTail);
                        b[p] ^= (byte) (1 << random.nextInt(8));
                        desc.append(p).append(',');
                    }
                    return b;
                }
                case 2 -> {
                    int p = position(b.length, random, favourTail);
                    int v = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                    int n = random.nextInt(4) == 0 ? 1 + random.nextInt(Math.min(8, b.length - p)) : 1;
                    Arrays.fill(b, p, p + n, (byte) v);
                    desc.append("set ").append(n).append(" bytes @").append(p).append("=0x").append(Integer.toHexString(v));
                    return b;
                }
                case 3 -> {
                    int p = position(b.length, random, favourTail);
                    int size = random.nextBoolean() ? 4 : 8;
                    if (p + size > b.length) {
                        p = Math.max(0, b.length - size);
                        size = Math.min(size, b.length);
                    }
                    long v = INTERESTING_LONGS[random.nextInt(INTERESTING_LONGS.length)];
                    for (int k = 0; k < size; k++) {
                        b[p + k] = (byte) (v >>> (8 * k));
                    }
                    desc.append("word").append(size * 8).append(" @").append(p).append("=").append(v);
                    return b;
                }
                case 4 -> {
                    return varintEdit(b, random, desc, favourTail);
                }
                case 5 -> {
                    int n = random.nextInt(3) == 0 ? 1 + random.nextInt(4096) : 1 + random.nextInt(16);
                    byte[] out = Arrays.copyOf(b, b.length + n);
                    int fill = random.nextInt(3);
                    for (int k = b.length; k < out.length; k++) {
                        out[k] = (byte) (fill == 0 ? 0 : fill == 1 ? 0xff : random.nextInt(256));
                    }
                    desc.append("extend +").append(n);
                    return out;
                }
                case 6 -> {
                    int newLength = random.nextBoolean() ? Math.max(0, b.length - 1 - random.nextInt(64)) : random.nextInt(b.length);
                    desc.append("truncate to ").append(newLength);
                    return Arrays.copyOf(b, newLength);
                }
                case 7 -> {
                    int s = random.nextInt(b.length);
                    int n = 1 + random.nextInt(Math.min(b.length - s, random.nextBoolean() ? 16 : 1024));
                    int at = random.nextInt(b.length + 1);
                    byte[] out = new byte[b.length + n];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, s, out, at, n);
                    System.arraycopy(b, at, out, at + n, b.length - at);
                    desc.append("dup [").append(s).append('+').append(n).append("] at ").append(at);
                    return out;
                }
                case 8 -> {
                    int s = position(b.length, random, favourTail);
                    int n = 1 + random.nextInt(Math.min(b.length - s, random.nextBoolean() ? 16 : 1024));
                    byte[] out = new byte[b.length - n];
                    System.arraycopy(b, 0, out, 0, s);
                    System.arraycopy(b, s + n, out, s, b.length - s - n);
                    desc.append("delete [").append(s).append('+').append(n).append(']');
                    return out;
                }
                default -> {
                    int p = position(b.length, random, favourTail);
                    int n = 1 + random.nextInt(Math.min(16, b.length - p));
                    for (int k = 0; k < n; k++) {
                        b[p + k] = (byte) random.nextInt(256);
                    }
                    desc.append("random ").append(n).append(" bytes @").append(p);
                    return b;
                }
            }
        }

        private static int position(int length, SplittableRandom random, boolean favourTail) {
            if (favourTail && random.nextInt(3) == 0) {
                return Math.max(0, length - 1 - random.nextInt(Math.min(length, 160)));
            }
            return random.nextInt(length);
        }

        /** Replaces the varint starting at a position with a different value, a different length or an overlong run. */
        private static byte[] varintEdit(byte[] b, SplittableRandom random, StringBuilder desc, boolean favourTail) {
            int p = position(b.length, random, favourTail);
            int len = 1;
            while (len < 10 && p + len - 1 < b.length && (b[p + len - 1] & 0x80) != 0) {
                len++;
            }
            len = Math.min(len, b.length - p);
            ByteArrayOutputStream replacement = new ByteArrayOutputStream();
            int how = random.nextInt(4);
            if (how == 0) {
                int n = 5 + random.nextInt(8); // overlong / unterminated continuation run
                for (int k = 0; k < n; k++) {
                    replacement.write(0xff);
                }
                if (random.nextBoolean()) {
                    replacement.write(0x01);
                }
            } else if (how == 1) {
                // same value, padded encoding (non-minimal)
                long v = 0;
                for (int k = 0; k < len; k++) {
                    v |= (long) (b[p + k] & 0x7f) << (7 * k);
                }
                int pad = 1 + random.nextInt(4);
                for (int k = 0; k < len + pad - 1; k++) {
                    replacement.write((int) ((v >>> (7 * k)) & 0x7f) | 0x80);
                }
                replacement.write(0);
            } else {
                putVarint(replacement, INTERESTING_LONGS[random.nextInt(INTERESTING_LONGS.length)]);
            }
            byte[] r = replacement.toByteArray();
            byte[] out = new byte[b.length - len + r.length];
            System.arraycopy(b, 0, out, 0, p);
            System.arraycopy(r, 0, out, p, r.length);
            System.arraycopy(b, p + len, out, p + r.length, b.length - p - len);
            desc.append("varint @").append(p).append(" (").append(len).append(" -> ").append(r.length).append(" bytes)");
            return out;
        }
    }

    // ------------------------------------------------------------------ a LevelDB table writer for re-encoding

    /** A table as TensorFlow's {@code TableBuilder} lays it out, with the block layout kept for CRC fix-ups. */
    static final class Table {
        final byte[] bytes;
        /** {offset, size} of every block (contents only; the 5-byte trailer follows). */
        final List<int[]> blocks;

        private Table(byte[] bytes, List<int[]> blocks) {
            this.bytes = bytes;
            this.blocks = blocks;
        }

        static Table write(List<byte[]> keys, List<byte[]> values, int restartInterval, int blockBytes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<int[]> blocks = new ArrayList<>();
            List<byte[]> indexKeys = new ArrayList<>();
            List<byte[]> indexValues = new ArrayList<>();
            int start = 0;
            while (start < keys.size()) {
                int end = start;
                int size = 0;
                while (end < keys.size() && (end == start || size < blockBytes)) {
                    size += keys.get(end).length + values.get(end).length + 3;
                    end++;
                }
                int[] handle = writeBlock(out, block(keys.subList(start, end), values.subList(start, end), restartInterval), blocks);
                indexKeys.add(keys.get(end - 1));
                ByteArrayOutputStream h = new ByteArrayOutputStream();
                putVarint(h, handle[0]);
                putVarint(h, handle[1]);
                indexValues.add(h.toByteArray());
                start = end;
            }
            int[] metaindex = writeBlock(out, block(List.of(), List.of(), 1), blocks);
            int[] index = writeBlock(out, block(indexKeys, indexValues, 1), blocks);
            ByteArrayOutputStream footer = new ByteArrayOutputStream();
            putVarint(footer, metaindex[0]);
            putVarint(footer, metaindex[1]);
            putVarint(footer, index[0]);
            putVarint(footer, index[1]);
            byte[] f = Arrays.copyOf(footer.toByteArray(), 48);
            ByteBuffer.wrap(f, 40, 8).order(ByteOrder.LITTLE_ENDIAN).putInt(0x8b80fb57).putInt(0xdb477524);
            out.writeBytes(f);
            return new Table(out.toByteArray(), blocks);
        }

        static byte[] block(List<byte[]> keys, List<byte[]> values, int restartInterval) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<Integer> restarts = new ArrayList<>();
            byte[] previous = new byte[0];
            for (int i = 0; i < keys.size(); i++) {
                byte[] key = keys.get(i);
                int shared = 0;
                if (i % restartInterval == 0) {
                    restarts.add(out.size());
                } else {
                    int max = Math.min(previous.length, key.length);
                    while (shared < max && previous[shared] == key[shared]) {
                        shared++;
                    }
                }
                putVarint(out, shared);
                putVarint(out, key.length - shared);
                putVarint(out, values.get(i).length);
                out.write(key, shared, key.length - shared);
                out.writeBytes(values.get(i));
                previous = key;
            }
            if (restarts.isEmpty()) {
                restarts.add(0);
            }
            ByteBuffer trailer = ByteBuffer.allocate(4 * restarts.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
            restarts.forEach(trailer::putInt);
            trailer.putInt(restarts.size());
            out.writeBytes(trailer.array());
            return out.toByteArray();
        }

        static int[] writeBlock(ByteArrayOutputStream out, byte[] contents, List<int[]> blocks) {
            int offset = out.size();
            out.writeBytes(contents);
            byte[] withType = Arrays.copyOf(contents, contents.length + 1);
            int crc = MaskedCrc32c.crc(ByteBuffer.wrap(withType));
            out.write(0);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(MaskedCrc32c.mask(crc)).array());
            int[] handle = {offset, contents.length};
            blocks.add(handle);
            return handle;
        }

        /** Recomputes every block trailer's CRC over the (mutated, same-length) bytes, so mutations get past the checksums. */
        void fixChecksums(byte[] mutated) {
            for (int[] block : blocks) {
                int crc = MaskedCrc32c.crc(ByteBuffer.wrap(mutated, block[0], block[1] + 1));
                ByteBuffer.wrap(mutated, block[0] + block[1] + 1, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(MaskedCrc32c.mask(crc));
            }
        }
    }
}
