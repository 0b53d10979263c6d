package io.electraconvert.hf.formats.h5;

import io.electraconvert.hf.weights.StoredTensor;
import io.electraconvert.hf.weights.WeightFile;
import java.nio.file.Path;
import java.util.List;

/** {@link WeightFile} over a Keras {@code tf_model.h5}; kernels come back in PyTorch orientation. */
final class KerasH5WeightFile implements WeightFile {
    private final KerasH5File file;

    KerasH5WeightFile(Path path) {
        this.file = KerasH5File.open(path);
    }

    @Override
    public Path path() {
        return file.path();
    }

    @Override
    public List<StoredTensor> tensors() {
        return file.tensors().values().stream()
                .map(e -> WeightFile.stored(file.path(), e.hfKey(), e.dtype(), e.shape())).toList();
    }

    @Override
    public float[] readFloats(String key) {
        return file.readFloats(key);
    }

    @Override
    public void close() {
        file.close();
    }
}
