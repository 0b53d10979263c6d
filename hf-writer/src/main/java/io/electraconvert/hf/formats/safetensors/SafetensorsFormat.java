package io.electraconvert.hf.formats.safetensors;

import io.electraconvert.tensor.DType;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.WeightFile;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.hf.weights.ProgressCounter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code model.safetensors}, the format current transformers prefers. */
public final class SafetensorsFormat implements WeightsFormat {
    @Override
    public String name() {
        return "safetensors";
    }

    @Override
    public String description() {
        return "model.safetensors, what transformers loads first";
    }

    @Override
    public String singleFileName() {
        return "model.safetensors";
    }

    @Override
    public boolean shardable() {
        return true;
    }

    @Override
    public boolean streamsInOrder() {
        return true;
    }

    @Override
    public void writeFile(Path file, List<OutputTensor> tensors, DType dtype, ProgressCounter progress) throws IOException {
        SafetensorsWriter.write(file, tensors, dtype, progress);
    }

    @Override
    public WeightFile open(Path file) {
        return new SafetensorsWeightFile(file);
    }
}
