package io.electraconvert.hf.safetensors;

import java.util.Arrays;

/**
 * One tensor in a safetensors header. {@code begin}/{@code end} are offsets into the byte buffer that follows the
 * header (not into the file).
 */
public record SafetensorsEntry(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {
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

    public long numElements() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }
}
