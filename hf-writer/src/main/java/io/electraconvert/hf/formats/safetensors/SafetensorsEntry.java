package io.electraconvert.hf.formats.safetensors;

import io.electraconvert.tensor.DType;
import io.electraconvert.hf.weights.TensorSizes;
import java.util.Arrays;

/**
 * One tensor in a safetensors header. {@code begin}/{@code end} are offsets into the byte buffer that follows the
 * header (not into the file).
 */
public record SafetensorsEntry(String name, DType dtype, long[] shape, long begin, long end) {
    public SafetensorsEntry {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long byteSize() {
        return end - begin;
    }

    /** Element count; a parsed header's entries always have one (their byte size matched the shape). */
    public long numElements() {
        return TensorSizes.elements(shape).orElseThrow(() -> new IllegalStateException(
                "tensor '" + name + "' " + Arrays.toString(shape) + " has more than 2^63-1 elements"));
    }
}
