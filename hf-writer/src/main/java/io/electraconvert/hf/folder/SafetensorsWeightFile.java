package io.electraconvert.hf.folder;

import io.electraconvert.hf.safetensors.SafetensorsEntry;
import io.electraconvert.hf.safetensors.SafetensorsFile;
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
