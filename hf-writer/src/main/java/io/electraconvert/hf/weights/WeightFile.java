package io.electraconvert.hf.weights;

import io.electraconvert.error.BadInputException;
import io.electraconvert.tensor.DType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** One opened weight file of a HuggingFace folder, whatever its format; keys and orientation are PyTorch's. */
public interface WeightFile extends AutoCloseable {
    Path path();

    /** Every tensor of the file, as stored. */
    List<StoredTensor> stored();

    /** A floating-point tensor as float32, PyTorch orientation. */
    float[] readFloats(String key);

    @Override
    void close();

    /** A tensor as stored, its byte size computed without overflow (the readers checked it against the file). */
    static StoredTensor storedTensor(Path file, String key, DType dtype, long[] shape) {
        long bytes = TensorSizes.bytes(shape, dtype.byteSize()).orElseThrow(() -> new BadInputException(file,
                "tensor '" + key + "' " + Arrays.toString(shape) + " holds more than 2^63-1 bytes"));
        return new StoredTensor(key, dtype, shape, bytes, file.getFileName().toString());
    }
}
