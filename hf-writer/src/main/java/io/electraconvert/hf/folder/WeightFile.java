package io.electraconvert.hf.folder;

import java.nio.file.Path;
import java.util.List;

/** One opened weight file of a HuggingFace folder, whatever its format; keys and orientation are PyTorch's. */
public interface WeightFile extends AutoCloseable {
    Path path();

    List<StoredTensor> tensors();

    /** A floating-point tensor as float32, PyTorch orientation. */
    float[] readFloats(String key);

    @Override
    void close();
}
