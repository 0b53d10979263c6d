package io.electraconvert.hf.folder;

import java.util.Arrays;

/** A tensor as a weight file stores it: HF key, the file's dtype name (F32, F16, BF16, ...), shape, bytes. */
public record StoredTensor(String name, String dtype, long[] shape, long bytes, String file) {
    public StoredTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
