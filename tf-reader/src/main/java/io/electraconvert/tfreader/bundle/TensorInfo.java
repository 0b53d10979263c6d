package io.electraconvert.tfreader.bundle;

import io.electraconvert.tensor.DType;
import java.util.Arrays;
import java.util.Optional;

/**
 * One tensor of a checkpoint as its index entry describes it ({@code BundleEntryProto}).
 *
 * @param dtypeCode TensorFlow {@code DataType} number; see {@link #knownDtype()}
 * @param shape     dimensions, outermost first; empty for a scalar
 * @param offset    byte offset in data file {@code shardId}
 * @param size      stored bytes (for strings: lengths, their checksum and the characters)
 * @param sliced    a partitioned variable: its data lives in slice entries this reader refuses to read
 */
public record TensorInfo(String name, int dtypeCode, long[] shape, int shardId, long offset, long size,
                         int maskedCrc32c, boolean sliced) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Product of the dimensions (1 for a scalar). Dimensions were validated non-negative and non-overflowing. */
    public long numElements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The dtype if this reader knows it. */
    public Optional<DType> knownDtype() {
        return DType.ofTfCode(dtypeCode);
    }

    /** "float32", or "DT_21" for a dtype this reader does not know. */
    public String dtypeName() {
        return knownDtype().map(DType::toString).orElse("DT_" + dtypeCode);
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtypeCode == t.dtypeCode
                && Arrays.equals(shape, t.shape) && shardId == t.shardId && offset == t.offset && size == t.size
                && maskedCrc32c == t.maskedCrc32c && sliced == t.sliced;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtypeName() + shapeString();
    }
}
