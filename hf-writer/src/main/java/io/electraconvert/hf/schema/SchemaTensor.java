package io.electraconvert.hf.schema;

import java.util.Arrays;

/** One tensor of an HF ELECTRA state dict: its key, its shape, and where a conversion takes its values from. */
public record SchemaTensor(String key, long[] shape, TfSource source) {
    public SchemaTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return key + Arrays.toString(shape);
    }
}
