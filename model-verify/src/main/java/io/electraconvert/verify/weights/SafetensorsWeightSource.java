package io.electraconvert.verify.weights;

import io.electraconvert.hf.safetensors.SafetensorsFile;
import io.electraconvert.verify.ModelException;
import java.nio.file.Path;
import java.util.Set;

/** A {@link WeightSource} over one {@code model.safetensors}; F16/BF16/F64 tensors are widened or rounded to float32. */
public final class SafetensorsWeightSource implements WeightSource {
    private final SafetensorsFile file;

    private SafetensorsWeightSource(SafetensorsFile file) {
        this.file = file;
    }

    public static SafetensorsWeightSource open(Path safetensors) {
        return new SafetensorsWeightSource(SafetensorsFile.open(safetensors));
    }

    @Override
    public Set<String> keys() {
        return file.tensors().keySet();
    }

    @Override
    public long[] shape(String hfKey) {
        requireKey(hfKey);
        return file.entry(hfKey).shape();
    }

    @Override
    public float[] floats(String hfKey) {
        requireKey(hfKey);
        return file.readFloats(hfKey);
    }

    private void requireKey(String hfKey) {
        if (!file.tensors().containsKey(hfKey)) {
            throw new ModelException(file.path() + ": no tensor " + hfKey);
        }
    }

    @Override
    public void close() {
        file.close();
    }
}
