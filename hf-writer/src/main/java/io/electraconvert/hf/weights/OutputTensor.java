package io.electraconvert.hf.weights;

import java.util.Arrays;

/** One tensor of the HuggingFace model being written: its state_dict key, shape, and where its values come from. */
public record OutputTensor(String name, long[] shape, TensorPayload payload) {
    public OutputTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long numElements() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
