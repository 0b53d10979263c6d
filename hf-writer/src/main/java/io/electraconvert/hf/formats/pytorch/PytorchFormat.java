package io.electraconvert.hf.formats.pytorch;

import io.electraconvert.tensor.DType;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.WeightFile;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.hf.weights.ProgressCounter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code pytorch_model.bin}: torch.save's zip format, loadable with {@code torch.load(weights_only=True)}. */
public final class PytorchFormat implements WeightsFormat {
    @Override
    public String name() {
        return "pytorch";
    }

    @Override
    public String description() {
        return "pytorch_model.bin, as torch.save writes it";
    }

    @Override
    public String singleFileName() {
        return "pytorch_model.bin";
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
        PytorchWriter.write(file, tensors, dtype, progress);
    }

    @Override
    public WeightFile open(Path file) {
        return new PytorchWeightFile(file);
    }
}
