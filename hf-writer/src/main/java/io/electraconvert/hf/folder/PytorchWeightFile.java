package io.electraconvert.hf.folder;

import io.electraconvert.hf.pytorch.PytorchBinFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@link WeightFile} over a {@code pytorch_model.bin} (read with the weights_only rules, never executing pickle code). */
final class PytorchWeightFile implements WeightFile {
    /** torch dtype names as safetensors spells them, so every format reports dtypes alike. */
    private static final Map<String, String> SAFETENSORS_NAMES = Map.of("float64", "F64", "float32", "F32",
            "float16", "F16", "bfloat16", "BF16", "int64", "I64", "int32", "I32", "int16", "I16", "int8", "I8",
            "uint8", "U8", "bool", "BOOL");
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
        return file.tensors().values().stream().map(t -> WeightFile.stored(file.path(), t.name(),
                SAFETENSORS_NAMES.getOrDefault(t.dtype().torchName(), t.dtype().torchName()), t.shape(), t.dtype().size()))
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
