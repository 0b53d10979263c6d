package io.electraconvert.tfreader.bundle;

import io.electraconvert.tfreader.ChecksumMismatchException;
import io.electraconvert.tfreader.CheckpointFormatException;
import io.electraconvert.tfreader.TensorInfo;
import io.electraconvert.tfreader.TfDType;
import io.electraconvert.tfreader.UnsupportedCheckpointFeatureException;
import io.electraconvert.tfreader.checksum.MaskedCrc32c;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

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
        long expectedSize = Math.multiplyExact(tensor.numElements(), dtype.elementSize());
        if (tensor.size() != expectedSize) {
            throw new CheckpointFormatException(indexFile, String.format(
                    "tensor '%s' (%s%s) should hold %d bytes but its index entry says %d",
                    tensor.name(), tensor.dtypeName(), tensor.shapeString(), expectedSize, tensor.size()));
        }
        if (expectedSize > Integer.MAX_VALUE - 8) {
            throw new UnsupportedCheckpointFeatureException(file, "tensor '" + tensor.name() + "' is larger than 2 GiB");
        }
        ByteBuffer data = shards.read(tensor.shardId(), tensor.offset(), (int) expectedSize, tensor.name());
        verify(tensor, file, data);
        if (bigEndian && dtype.elementSize() > 1) {
            swapToLittleEndian(data, dtype.elementSize());
        }
        return data.order(ByteOrder.LITTLE_ENDIAN);
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

    private static void verify(TensorInfo tensor, Path file, ByteBuffer data) {
        int expected = MaskedCrc32c.unmask(tensor.maskedCrc32c());
        int actual = MaskedCrc32c.crc(data);
        if (expected != actual) {
            throw new ChecksumMismatchException(file, "tensor '" + tensor.name() + "'", expected, actual);
        }
    }

    private static void swapToLittleEndian(ByteBuffer data, int elementSize) {
        byte[] a = data.array();
        int base = data.arrayOffset();
        for (int i = base; i < base + data.limit(); i += elementSize) {
            for (int lo = i, hi = i + elementSize - 1; lo < hi; lo++, hi--) {
                byte t = a[lo];
                a[lo] = a[hi];
                a[hi] = t;
            }
        }
    }
}
