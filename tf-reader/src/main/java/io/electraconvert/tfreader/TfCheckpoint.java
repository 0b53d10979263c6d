package io.electraconvert.tfreader;

import io.electraconvert.tfreader.bundle.TensorInfo;
import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import io.electraconvert.tfreader.bundle.BundleIndex;
import io.electraconvert.tfreader.bundle.DataShards;
import io.electraconvert.tfreader.bundle.TensorDataReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A TensorFlow V2 checkpoint (tensor bundle), read without TensorFlow. Opening parses and verifies the whole
 * {@code .index} and opens every data shard; tensor data is read on demand and always checksum-verified.
 *
 * <pre>{@code
 * try (TfCheckpoint ckpt = TfCheckpoint.open(Path.of("model_dir"))) {
 *     float[] table = ckpt.readFloats("electra/embeddings/word_embeddings");
 * }
 * }</pre>
 * All failures are {@link BadInputException}s whose message names the file and the problem.
 */
public final class TfCheckpoint implements AutoCloseable {
    private final Path prefix;
    private final BundleIndex index;
    private final Map<String, TensorInfo> byName;
    private final DataShards shards;
    private final TensorDataReader reader;

    private TfCheckpoint(Path prefix, BundleIndex index, DataShards shards) {
        this.prefix = prefix;
        this.index = index;
        this.shards = shards;
        this.reader = new TensorDataReader(indexFile(), shards, index.bigEndian());
        Map<String, TensorInfo> map = new LinkedHashMap<>();
        for (TensorInfo t : index.tensors()) {
            map.put(t.name(), t);
        }
        this.byName = map;
    }

    /** Opens a checkpoint given as a prefix, its {@code .index}/data file, or a directory (see {@link CheckpointLocator}). */
    public static TfCheckpoint open(Path prefixOrDirectory) {
        Path prefix = CheckpointLocator.resolvePrefix(prefixOrDirectory);
        Path indexFile = CheckpointLocator.indexOf(prefix);
        BundleIndex index = BundleIndex.read(indexFile);
        DataShards shards = DataShards.open(prefix, index.numShards());
        try {
            for (TensorInfo t : index.tensors()) {
                if (!t.sliced()) {
                    shards.checkBounds(t.shardId(), t.offset(), t.size(), t.name());
                }
            }
        } catch (RuntimeException e) {
            shards.close();
            throw e;
        }
        return new TfCheckpoint(prefix, index, shards);
    }

    public Path prefix() {
        return prefix;
    }

    public Path indexFile() {
        return CheckpointLocator.indexOf(prefix);
    }

    public List<Path> dataFiles() {
        return shards.files();
    }

    public int numShards() {
        return index.numShards();
    }

    public boolean bigEndian() {
        return index.bigEndian();
    }

    /** Every tensor, in key (name) order. */
    public List<TensorInfo> tensors() {
        return index.tensors();
    }

    public Optional<TensorInfo> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public TensorInfo info(String name) {
        TensorInfo info = byName.get(name);
        if (info == null) {
            throw new BadInputException(indexFile(), "no tensor named '" + name + "'");
        }
        return info;
    }

    /** Element bytes of a numeric tensor, little-endian and row-major, checksum verified. */
    public ByteBuffer readBytes(TensorInfo tensor) {
        return reader.readNumeric(tensor);
    }

    /**
     * Streams a numeric tensor's little-endian bytes in chunks of at most {@code chunkBytes} with one reused buffer;
     * the checksum is verified after the last chunk (a mismatch throws then).
     */
    public void streamBytes(TensorInfo tensor, int chunkBytes, TensorDataReader.ChunkConsumer consumer) throws IOException {
        reader.streamNumeric(tensor, chunkBytes, consumer);
    }

    /** As {@link #streamBytes(TensorInfo, int, TensorDataReader.ChunkConsumer)}, reading through the caller's buffer. */
    public void streamBytes(TensorInfo tensor, ByteBuffer buffer, TensorDataReader.ChunkConsumer consumer) throws IOException {
        reader.streamNumeric(tensor, buffer, consumer);
    }

    /**
     * Reads part of a numeric tensor into {@code buffer} and returns the CRC-32C of that part as stored; see
     * {@link TensorDataReader#readRange}. Safe to call from several threads at once.
     */
    public int readRange(TensorInfo tensor, long from, ByteBuffer buffer) {
        return reader.readRange(tensor, from, buffer);
    }

    /** Checks the combined CRC-32C of a tensor read by {@link #readRange} parts. */
    public void verifyChecksum(TensorInfo tensor, int crc) {
        reader.verifyChecksum(tensor, crc);
    }

    /** The strings of a DT_STRING tensor, checksum verified. */
    public byte[][] readStrings(TensorInfo tensor) {
        return reader.readStrings(tensor);
    }

    private static final int FLOAT_READ_CHUNK_BYTES = 4 << 20; // a multiple of every element size

    /** A floating-point tensor (float32, float64, float16 or bfloat16) widened or narrowed to float32. */
    public float[] readFloats(String name) {
        TensorInfo tensor = info(name);
        DType dtype = tensor.knownDtype().orElse(null);
        if (dtype == null || !dtype.isFloatingPoint()) {
            throw new BadInputException(indexFile(), "tensor '" + name + "' is " + tensor.dtypeName() + ", not floating point");
        }
        if (tensor.numElements() > Integer.MAX_VALUE - 8) {
            throw new BadInputException(indexFile(), "tensor '" + name + "' has " + tensor.numElements()
                    + " elements, more than one Java array holds");
        }
        float[][] out = {new float[0]};
        int[] filled = {0};
        try {
            // in chunks: a large table costs its floats, not its bytes as well. The array is made once the first
            // chunk is read, i.e. once the index entry's size has been checked against the shape and the data file.
            streamBytes(tensor, FLOAT_READ_CHUNK_BYTES, chunk -> {
                if (filled[0] == 0) {
                    out[0] = new float[(int) tensor.numElements()];
                }
                int count = chunk.remaining() / dtype.byteSize();
                dtype.decodeInto(chunk, count, out[0], filled[0]);
                filled[0] += count;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // only the consumer may throw one, and this one does not
        }
        return out[0];
    }

    /** Total bytes of tensor data across all shards (what a full read touches). */
    public long totalTensorBytes() {
        return index.tensors().stream().filter(t -> !t.sliced()).mapToLong(TensorInfo::size).sum();
    }

    @Override
    public void close() {
        shards.close();
    }
}
