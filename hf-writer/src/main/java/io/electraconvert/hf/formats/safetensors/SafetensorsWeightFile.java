package io.electraconvert.hf.formats.safetensors;

import io.electraconvert.hf.weights.StoredTensor;
import io.electraconvert.hf.weights.WeightFile;
import java.nio.file.Path;
import java.util.List;

/** {@link WeightFile} over a safetensors file (validated like the reference reader on open). */
final class SafetensorsWeightFile implements WeightFile {
    private final SafetensorsFile file;

    SafetensorsWeightFile(Path path) {
        this.file = SafetensorsFile.open(path);
    }

    @Override
    public Path path() {
        return file.path();
    }

    @Override
    public List<StoredTensor> tensors() {
        String name = file.path().getFileName().toString();
        return file.tensors().values().stream()
                .map((SafetensorsEntry e) -> new StoredTensor(e.name(), e.dtype(), e.shape(), e.byteSize(), name))
                .toList();
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
