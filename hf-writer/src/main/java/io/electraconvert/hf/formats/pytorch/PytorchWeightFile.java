package io.electraconvert.hf.formats.pytorch;

import io.electraconvert.hf.weights.StoredTensor;
import io.electraconvert.hf.weights.WeightFile;
import java.nio.file.Path;
import java.util.List;

/** {@link WeightFile} over a {@code pytorch_model.bin} (read with the weights_only rules, never executing pickle code). */
final class PytorchWeightFile implements WeightFile {
    private final PytorchBinFile file;

    PytorchWeightFile(Path path) {
        this.file = PytorchBinFile.open(path);
    }

    @Override
    public Path path() {
        return file.path();
    }

    @Override
    public List<StoredTensor> tensors() {
        return file.tensors().values().stream().map(t -> WeightFile.stored(file.path(), t.name(), t.dtype(), t.shape())).toList();
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
