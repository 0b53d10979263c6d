package io.electraconvert.hf.weights;

import io.electraconvert.tensor.DType;
import java.util.Arrays;

/** A tensor as a weight file stores it: HF key, element type, shape, bytes, and the file's name. */
public record StoredTensor(String name, DType dtype, long[] shape, long bytes, String file) {
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
