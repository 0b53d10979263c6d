package io.electraconvert.tfreader.bundle;

import io.electraconvert.tfreader.ChecksumMismatchException;
import io.electraconvert.tfreader.CheckpointFormatException;
import io.electraconvert.tfreader.TensorInfo;
import io.electraconvert.tfreader.TfDType;
import io.electraconvert.tfreader.UnsupportedCheckpointFeatureException;
import io.electraconvert.tfreader.checksum.MaskedCrc32c;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads one tensor's bytes from its data shard and proves them: bounds, expected size for its dtype and shape,
 * and the masked CRC-32C of the stored bytes ({@code tensor_bundle.cc} {@code GetValue}). Big-endian bundles are
 * swapped to little-endian after the checksum, which covers the bytes as stored.
 */
public final class TensorDataReader {
    private final Path indexFile;
    private final DataShards shards;
    private final boolean bigEndian;

    public TensorDataReader(Path indexFile, DataShards shards, boolean bigEndian) {
        this.indexFile = indexFile;
        this.shards = shards;
        this.bigEndian = bigEndian;
    }

    /** The checked element bytes of a numeric tensor, little-endian, row-major. */
    public ByteBuffer readNumeric(TensorInfo tensor) {
        TfDType dtype = numericDtype(tensor);
        Path file = shards.file(tensor.shardId());
        long expectedSize = expectedSize(tensor, dtype);
        if (expectedSize > Integer.MAX_VALUE - 8) {
            throw new UnsupportedCheckpointFeatureException(file, "tensor '" + tensor.name() + "' is larger than 2 GiB");
        }
        ByteBuffer data = shards.read(tensor.shardId(), tensor.offset(), (int) expectedSize, tensor.name());
        verifyCrc(tensor, file, MaskedCrc32c.crc(data));
        if (bigEndian && dtype.elementSize() > 1) {
            swapToLittleEndian(data, dtype.elementSize());
        }
        return data.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Receives a tensor's bytes chunk by chunk. */
    @FunctionalInterface
    public interface ChunkConsumer {
        void accept(ByteBuffer littleEndianChunk) throws IOException;
    }

    /**
     * Streams a numeric tensor's element bytes (little-endian) in chunks of at most {@code chunkBytes}, reusing one
     * buffer, so memory stays bounded whatever the tensor's size. The checksum covers the whole tensor, so a
     * mismatch is thrown after the last chunk: consumers must treat what they received as unconfirmed until this
     * method returns.
     */
    public void streamNumeric(TensorInfo tensor, int chunkBytes, ChunkConsumer consumer) throws IOException {
        TfDType dtype = numericDtype(tensor);
        int elementSize = Math.max(1, dtype.elementSize());
        long size = expectedSize(tensor, dtype);
        int chunk = (int) Math.min(size, Math.max(elementSize, chunkBytes / elementSize * elementSize));
        streamNumeric(tensor, ByteBuffer.allocate(chunk), consumer);
    }

    /**
     * As {@link #streamNumeric(TensorInfo, int, ChunkConsumer)}, through the caller's buffer (chunks of at most its
     * capacity), so a caller converting many tensors can reuse one, e.g. a direct buffer that write(2) takes as is.
     */
    public void streamNumeric(TensorInfo tensor, ByteBuffer buffer, ChunkConsumer consumer) throws IOException {
        TfDType dtype = numericDtype(tensor);
        long expectedSize = expectedSize(tensor, dtype);
        shards.checkBounds(tensor.shardId(), tensor.offset(), expectedSize, tensor.name());
        int elementSize = Math.max(1, dtype.elementSize());
        int chunk = buffer.capacity() / elementSize * elementSize;
        if (chunk == 0 && expectedSize > 0) {
            throw new IllegalArgumentException("buffer of " + buffer.capacity() + " bytes cannot hold one " + dtype + " element");
        }
        CRC32C crc = new CRC32C();
        for (long done = 0; done < expectedSize; ) {
            int n = (int) Math.min(chunk, expectedSize - done);
            buffer.clear().limit(n);
            shards.readFully(tensor.shardId(), tensor.offset() + done, buffer, tensor.name());
            buffer.flip();
            crc.update(buffer.duplicate());
            if (bigEndian && elementSize > 1) {
                swapToLittleEndian(buffer, elementSize);
            }
            consumer.accept(buffer.order(ByteOrder.LITTLE_ENDIAN));
            done += n;
        }
        verifyCrc(tensor, shards.file(tensor.shardId()), (int) crc.getValue());
    }

    private long expectedSize(TensorInfo tensor, TfDType dtype) {
        long expectedSize;
        try {
            expectedSize = Math.multiplyExact(tensor.numElements(), dtype.elementSize());
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(indexFile, String.format("tensor '%s' (%s%s) has more bytes than a 64-bit size can hold",
                    tensor.name(), tensor.dtypeName(), tensor.shapeString()));
        }
        if (tensor.size() != expectedSize) {
            throw new CheckpointFormatException(indexFile, String.format(
                    "tensor '%s' (%s%s) should hold %d bytes but its index entry says %d",
                    tensor.name(), tensor.dtypeName(), tensor.shapeString(), expectedSize, tensor.size()));
        }
        return expectedSize;
    }

    /** The strings of a DT_STRING tensor, row-major. */
    public byte[][] readStrings(TensorInfo tensor) {
        requireReadable(tensor);
        if (tensor.knownDtype().orElse(null) != TfDType.STRING) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' is " + tensor.dtypeName() + ", not string");
        }
        if (tensor.size() > Integer.MAX_VALUE - 8) {
            throw new UnsupportedCheckpointFeatureException(shards.file(tensor.shardId()), "string tensor '" + tensor.name() + "' is larger than 2 GiB");
        }
        ByteBuffer stored = shards.read(tensor.shardId(), tensor.offset(), (int) tensor.size(), tensor.name());
        return StringTensorDecoder.decode(shards.file(tensor.shardId()), tensor.name(), stored, tensor.offset(),
                tensor.numElements(), tensor.maskedCrc32c());
    }

    private TfDType numericDtype(TensorInfo tensor) {
        requireReadable(tensor);
        TfDType dtype = tensor.knownDtype().orElseThrow(() -> new UnsupportedCheckpointFeatureException(indexFile,
                "tensor '" + tensor.name() + "' has TensorFlow dtype " + tensor.dtypeCode() + ", which this reader does not support"));
        if (dtype == TfDType.STRING) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' is a string tensor; use readStrings");
        }
        return dtype;
    }

    private void requireReadable(TensorInfo tensor) {
        if (tensor.sliced()) {
            throw new UnsupportedCheckpointFeatureException(indexFile, "tensor '" + tensor.name()
                    + "' is a partitioned (sliced) variable, which this reader does not reassemble");
        }
    }

    private static void verifyCrc(TensorInfo tensor, Path file, int actual) {
        int expected = MaskedCrc32c.unmask(tensor.maskedCrc32c());
        if (expected != actual) {
            throw new ChecksumMismatchException(file, "tensor '" + tensor.name() + "'", expected, actual);
        }
    }

    /** Reverses each element's bytes in place (heap or direct buffer). */
    private static void swapToLittleEndian(ByteBuffer data, int elementSize) {
        for (int i = data.position(); i + elementSize <= data.limit(); i += elementSize) {
            for (int lo = i, hi = i + elementSize - 1; lo < hi; lo++, hi--) {
                byte t = data.get(lo);
                data.put(lo, data.get(hi));
                data.put(hi, t);
            }
        }
    }
}
