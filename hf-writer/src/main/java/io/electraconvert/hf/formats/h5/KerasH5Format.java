package io.electraconvert.hf.formats.h5;

import io.electraconvert.tensor.DType;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.WeightFile;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.hf.weights.ProgressCounter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code tf_model.h5}: the Keras 2 HDF5 weights transformers 4.x's TF classes ({@code TFElectraForPreTraining},
 * {@code TFElectraForMaskedLM}) save and load. transformers 5 has no TensorFlow support. Not sharded (transformers'
 * sharded TF layout is a different, flat one). {@code float16} is stored as IEEE half ({@code <f2}, cast to the
 * float32 variables on load); HDF5 has no bfloat16, so {@code bfloat16} values are rounded to bfloat16 and stored
 * exactly as float32.
 */
public final class KerasH5Format implements WeightsFormat {
    @Override
    public String name() {
        return "tf";
    }

    @Override
    public String description() {
        return "tf_model.h5, for transformers 4.x TensorFlow classes";
    }

    @Override
    public String singleFileName() {
        return "tf_model.h5";
    }

    @Override
    public boolean shardable() {
        return false;
    }

    @Override
    public boolean streamsInOrder() {
        return false; // Keras order, whole tensors through jHDF
    }

    @Override
    public void writeFile(Path file, List<OutputTensor> tensors, DType dtype, ProgressCounter progress) throws IOException {
        KerasH5Writer.write(file, tensors, dtype, progress);
    }

    @Override
    public WeightFile open(Path file) {
        return new KerasH5WeightFile(file);
    }
}
