package io.electraconvert.tfreader.bundle;

import io.electraconvert.tensor.DType;
import io.electraconvert.error.UnsupportedInputException;
import io.electraconvert.error.ChecksumException;
import io.electraconvert.error.BadInputException;
import io.electraconvert.tfreader.checksum.Crc32cCombine;
import io.electraconvert.tfreader.checksum.MaskedCrc32c;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

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
        DType dtype = numericDtype(tensor);
        Path file = shards.file(tensor.shardId());
        long expectedSize = expectedSize(tensor, dtype);
        if (expectedSize > Integer.MAX_VALUE - 8) {
            throw new UnsupportedInputException(file, "tensor '" + tensor.name() + "' is larger than 2 GiB");
        }
        ByteBuffer data = shards.read(tensor.shardId(), tensor.offset(), (int) expectedSize, tensor.name());
        verifyCrc(tensor, file, MaskedCrc32c.crc(data));
        if (bigEndian && dtype.byteSize() > 1) {
            swapToLittleEndian(data, dtype.byteSize());
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
        DType dtype = numericDtype(tensor);
        int elementSize = Math.max(1, dtype.byteSize());
        long size = expectedSize(tensor, dtype);
        int chunk = (int) Math.min(size, Math.max(elementSize, chunkBytes / elementSize * elementSize));
        streamNumeric(tensor, ByteBuffer.allocate(chunk), consumer);
    }

    /**
     * As {@link #streamNumeric(TensorInfo, int, ChunkConsumer)}, through the caller's buffer (chunks of at most its
     * capacity), so a caller converting many tensors can reuse one, e.g. a direct buffer that write(2) takes as is.
     */
    public void streamNumeric(TensorInfo tensor, ByteBuffer buffer, ChunkConsumer consumer) throws IOException {
        DType dtype = numericDtype(tensor);
        long expectedSize = expectedSize(tensor, dtype);
        int elementSize = Math.max(1, dtype.byteSize());
        int chunk = buffer.capacity() / elementSize * elementSize;
        if (chunk == 0 && expectedSize > 0) {
            throw new IllegalArgumentException("buffer of " + buffer.capacity() + " bytes cannot hold one " + dtype + " element");
        }
        int crc = 0;
        for (long done = 0; done < expectedSize; ) {
            int n = (int) Math.min(chunk, expectedSize - done);
            buffer.clear().limit(n);
            crc = Crc32cCombine.combine(crc, readRange(tensor, done, buffer), n);
            consumer.accept(buffer.flip().order(ByteOrder.LITTLE_ENDIAN));
            done += n;
        }
        verifyChecksum(tensor, crc);
    }

    /**
     * Reads the stored bytes {@code [from, from + buffer.remaining())} of a numeric tensor into {@code buffer}
     * (advancing its position; little-endian afterwards) and returns the plain CRC-32C of those bytes as stored.
     * Ranges may be read in any order and on several threads (the shard channels allow concurrent positioned
     * reads); combine their CRCs in tensor order with {@link Crc32cCombine} and check the result with
     * {@link #verifyChecksum}: until then the bytes are unconfirmed.
     */
    public int readRange(TensorInfo tensor, long from, ByteBuffer buffer) {
        DType dtype = numericDtype(tensor);
        long size = expectedSize(tensor, dtype);
        int elementSize = Math.max(1, dtype.byteSize());
        int length = buffer.remaining();
        if (from < 0 || from > size - length || from % elementSize != 0 || length % elementSize != 0) {
            throw new IllegalArgumentException("bytes [" + from + ", " + (from + length) + ") are not whole elements of tensor '"
                    + tensor.name() + "' (" + size + " bytes of " + dtype + ")");
        }
        shards.checkBounds(tensor.shardId(), tensor.offset(), size, tensor.name());
        ByteBuffer range = buffer.slice();
        shards.readFully(tensor.shardId(), tensor.offset() + from, buffer, tensor.name());
        int crc = MaskedCrc32c.crc(range);
        if (bigEndian && elementSize > 1) {
            swapToLittleEndian(range, elementSize);
        }
        return crc;
    }

    /** Checks the plain CRC-32C of all of a tensor's stored bytes against its index entry. */
    public void verifyChecksum(TensorInfo tensor, int crc) {
        verifyCrc(tensor, shards.file(tensor.shardId()), crc);
    }

    private long expectedSize(TensorInfo tensor, DType dtype) {
        long expectedSize;
        try {
            expectedSize = Math.multiplyExact(tensor.numElements(), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new BadInputException(indexFile, String.format(Locale.ROOT, "tensor '%s' (%s%s) has more bytes than a 64-bit size can hold",
                    tensor.name(), tensor.dtypeName(), tensor.shapeString()));
        }
        if (tensor.size() != expectedSize) {
            throw new BadInputException(indexFile, String.format(Locale.ROOT,
                    "tensor '%s' (%s%s) should hold %d bytes but its index entry says %d",
                    tensor.name(), tensor.dtypeName(), tensor.shapeString(), expectedSize, tensor.size()));
        }
        return expectedSize;
    }

    /** The strings of a DT_STRING tensor, row-major. */
    public byte[][] readStrings(TensorInfo tensor) {
        requireReadable(tensor);
        if (tensor.knownDtype().orElse(null) != DType.STRING) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' is " + tensor.dtypeName() + ", not string");
        }
        if (tensor.size() > Integer.MAX_VALUE - 8) {
            throw new UnsupportedInputException(shards.file(tensor.shardId()), "string tensor '" + tensor.name() + "' is larger than 2 GiB");
        }
        ByteBuffer stored = shards.read(tensor.shardId(), tensor.offset(), (int) tensor.size(), tensor.name());
        return StringTensorDecoder.decode(shards.file(tensor.shardId()), tensor.name(), stored, tensor.offset(),
                tensor.numElements(), tensor.maskedCrc32c());
    }

    private DType numericDtype(TensorInfo tensor) {
        requireReadable(tensor);
        DType dtype = tensor.knownDtype().orElseThrow(() -> new UnsupportedInputException(indexFile,
                "tensor '" + tensor.name() + "' has TensorFlow dtype " + tensor.dtypeCode() + ", which this reader does not support"));
        if (dtype == DType.STRING) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' is a string tensor; use readStrings");
        }
        return dtype;
    }

    private void requireReadable(TensorInfo tensor) {
        if (tensor.sliced()) {
            throw new UnsupportedInputException(indexFile, "tensor '" + tensor.name()
                    + "' is a partitioned (sliced) variable, which this reader does not reassemble");
        }
    }

    private static void verifyCrc(TensorInfo tensor, Path file, int actual) {
        int expected = MaskedCrc32c.unmask(tensor.maskedCrc32c());
        if (expected != actual) {
            throw new ChecksumException(file, "tensor '" + tensor.name() + "'", expected, actual);
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
