package io.electraconvert.verify.model;

import io.electraconvert.error.BadInputException;
import java.util.Arrays;

/** A row-major float32 array with its shape. */
public record Tensor(int[] shape, float[] data) {

    public Tensor {
        long count = Arrays.stream(shape).asLongStream().reduce(1, Math::multiplyExact);
        if (count != data.length) {
            throw new BadInputException("tensor: " + data.length + " values do not fill shape " + Arrays.toString(shape));
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
