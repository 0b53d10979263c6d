package io.electraconvert.hf.formats.h5;

import io.electraconvert.hf.weights.WeightsFormat;

/**
 * {@code tf_model.h5}: the Keras 2 HDF5 weights transformers 4.x's TF classes ({@code TFElectraForPreTraining},
 * {@code TFElectraForMaskedLM}) save and load. transformers 5 has no TensorFlow support. Not sharded (transformers'
 * sharded TF layout is a different, flat one). {@code float16} is stored as IEEE half ({@code <f2}, cast to the
 * float32 variables on load); HDF5 has no bfloat16, so {@code bfloat16} values are rounded to bfloat16 and stored
 * exactly as float32.
 */
public final class KerasH5Format {
    /** Not shardable; written in Keras's order, whole tensors through jHDF, so not streamed in list order. */
    public static final WeightsFormat FORMAT = new WeightsFormat("tf", "tf_model.h5, for transformers 4.x TensorFlow "
            + "classes", "tf_model.h5", false, false, KerasH5Writer::write, KerasH5File::open);

    private KerasH5Format() {}
}
